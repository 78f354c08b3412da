// The README's authorization table, written from the catalogue and from what each field of the
// schema declares (`npm run docs:authz`; tests/authorization.test.ts fails when it is stale).
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { StaffRole } from '../generated/prisma/enums.js';
import { actions, type Action, type ActionName } from './actions.js';

export const tableStart = '<!-- authz-table:start (npm run docs:authz writes this table from src/auth/actions.ts) -->';
export const tableEnd = '<!-- authz-table:end -->';

const siteColumns: readonly StaffRole[] = [
  'PRESCRIBER',
  'LINK_WORKER',
  'DATA_COORDINATOR',
  'PRIVACY_OFFICER',
  'SITE_ADMIN',
  'PROGRAM_COORDINATOR',
  'HEALTH_CHAMPION',
];

/** What each action guards: root fields by name, other types whole, other fields as Type.field. */
function guardedBy(schema: GraphQLSchema): Map<ActionName, string[]> {
  const guarded = new Map<ActionName, string[]>();
  const add = (action: unknown, what: string) => {
    if (typeof action === 'string' && action in actions) guarded.set(action as ActionName, [...(guarded.get(action as ActionName) ?? []), what]);
  };
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (!roots.has(type.name)) add(type.extensions.authz, `\`${type.name}\``);
    for (const field of Object.values(type.getFields())) {
      add(field.extensions.authz, roots.has(type.name) ? `\`${field.name}\`` : `\`${type.name}.${field.name}\``);
    }
  }
  return guarded;
}

const cell = (action: Action, kind: 'site' | 'network' | 'partner', note?: string) => note ?? action.reach?.[kind] ?? '✓';

function siteCell(action: Action, role: StaffRole) {
  const allowed = action.site === 'any' || !!action.site?.includes(role);
  return allowed ? cell(action, 'site', action.roleNotes?.[role]) : '–';
}

function networkCell(action: Action) {
  if (action.network === 'any') return cell(action, 'network');
  const roles = action.network ?? [];
  if (roles.length === 0) return '–';
  if (roles.length === 2) return cell(action, 'network');
  return `${cell(action, 'network')} (${roles[0]!.replace('ALLIANCE_', '')})`;
}

function partnerCell(action: Action) {
  if (action.partner === 'any') return cell(action, 'partner');
  if (!action.partner?.length) return '–';
  const scopes = action.partner.map((scope) => `\`${scope}\``).join(', ');
  return action.reach?.partner ? `${scopes}: ${action.reach.partner}` : scopes;
}

const isRootField = (label: string) => /^`[a-z]/.test(label);
const rootFieldsFirst = (a: string, b: string) => Number(isRootField(b)) - Number(isRootField(a)) || a.localeCompare(b);

export function authorizationTable(schema: GraphQLSchema): string {
  const guarded = guardedBy(schema);
  const header = ['operation', ...siteColumns, 'ALLIANCE_ANALYST / ADMIN', 'PARTNER', 'why'];
  const rows = (Object.entries(actions) as [ActionName, Action][]).map(([name, action]) => [
    `${(guarded.get(name) ?? []).sort(rootFieldsFirst).join(', ')} (${name})`,
    ...siteColumns.map((role) => siteCell(action, role)),
    networkCell(action),
    partnerCell(action),
    action.why,
  ]);
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** The README with the table between its markers replaced. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start) throw new Error(`README.md has no ${tableStart} … ${tableEnd} markers`);
  return `${readme.slice(0, start + tableStart.length)}\n${table}\n${readme.slice(end)}`;
}
