// One rule map over every object type, deny by default. Each domain area declares its own rules
// next to its types; this file only merges them and sets the fallbacks.
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { GraphQLContext } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { isAuthenticated } from '../auth/rules.js';
import { sitePermissions } from '../tenants/tenant.js';
import { partnerOrganizationPermissions } from '../partners/partner-organization.js';
import { viewerPermissions } from '../auth/viewer.js';
import { clientPermissions } from '../clients/client.js';
import { prescriptionPermissions } from '../prescriptions/social-prescription.js';
import { partnerReferralPermissions } from '../prescriptions/partner-referral.js';
import { pathwayPermissions } from '../prescriptions/pathway.js';
import { prescriptionItemPermissions } from '../prescriptions/prescription-items.js';
import { consentPermissions } from '../privacy/consent.js';
import { lockBoxPermissions } from '../privacy/lock-box.js';
import { accessLogPermissions } from '../privacy/access-log.js';
import { staffPermissions } from '../staff/staff-member.js';
import { programPermissions } from '../programs/program.js';
import { communityAssetPermissions } from '../assets/community-asset.js';
import { partnershipPermissions } from '../partners/partnership.js';
import { healthChampionPermissions } from '../champions/health-champion.js';
import { hsdsExportPermissions } from '../directory/hsds-export.js';
import { outcomeAssessmentPermissions } from '../evaluation/outcome-assessment.js';
import { utilizationPermissions } from '../evaluation/utilization.js';
import { readinessPermissions } from '../evaluation/readiness.js';
import { aggregatePermissions } from '../aggregates/index.js';

export type PermissionMap = Record<string, IRules>;

/** Types every caller may traverse once a root field let them in: paging and the node interface. */
const plumbing: PermissionMap = {
  PageInfo: allow,
  // Row-level security decides which rows a node lookup can see; others read as null.
  Query: { node: isAuthenticated, nodes: isAuthenticated },
};

export const permissions: Record<string, Record<string, IRules> | IRules> = mergePermissions([
  plumbing,
  viewerPermissions,
  sitePermissions,
  partnerOrganizationPermissions,
  clientPermissions,
  prescriptionPermissions,
  partnerReferralPermissions,
  pathwayPermissions,
  prescriptionItemPermissions,
  consentPermissions,
  lockBoxPermissions,
  accessLogPermissions,
  staffPermissions,
  programPermissions,
  communityAssetPermissions,
  partnershipPermissions,
  healthChampionPermissions,
  hsdsExportPermissions,
  outcomeAssessmentPermissions,
  utilizationPermissions,
  readinessPermissions,
  aggregatePermissions,
]);

function mergePermissions(maps: PermissionMap[]) {
  const merged: Record<string, any> = {};
  for (const map of maps) {
    for (const [type, rules] of Object.entries(map)) {
      if (merged[type] && (typeof merged[type] !== 'object' || typeof rules !== 'object' || 'resolve' in (rules as object))) {
        throw new Error(`permissions for ${type} are declared twice`);
      }
      merged[type] = merged[type] ? { ...merged[type], ...(rules as object) } : rules;
    }
  }
  return merged;
}

export function protectSchema(schema: GraphQLSchema): GraphQLSchema {
  const middleware = shield(permissions as never, {
    fallbackRule: deny,
    allowExternalErrors: true,
    // Resolver errors pass through untouched (codes intact); the error-masking plugin logs and
    // hides anything without a public code. A field no rule covers: FORBIDDEN, or UNAUTHENTICATED.
    fallbackError: (_thrown, _parent, _args, ctx) =>
      (ctx as unknown as GraphQLContext).principal ? forbidden() : unauthenticated(),
  });
  // A type whose rule is `allow` passes every check by definition; wrapping its fields would only
  // cost time (graphql-shield wraps each field of each row: 3,000-cell aggregates, long lists).
  // Its rows are reachable only through fields that are checked.
  const wrapped = middleware.generate(schema) as Record<string, unknown>;
  for (const [type, rule] of Object.entries(permissions)) if (rule === allow) delete wrapped[type];
  return applyMiddleware(schema, wrapped as never);
}
