// Cross-site aggregates: de-identified, suppressed counts, the only thing that crosses sites.
import { allow } from 'graphql-shield';
import type { PermissionMap } from '../graphql/permissions.js';
import { readsAggregates } from './filter.js';
import './breakdown.js';
import './network-summary.js';
import './outcomes.js';

export const aggregatePermissions: PermissionMap = {
  Query: {
    networkSummary: readsAggregates,
    prescriptionBreakdown: readsAggregates,
    outcomeChanges: readsAggregates,
    utilizationChange: readsAggregates,
  },
  // Reachable only through the fields above.
  NetworkSummary: allow,
  SiteSummary: allow,
  Breakdown: allow,
  OutcomeChange: allow,
  UtilizationChange: allow,
  Cell: allow,
};
