// One published figure of an aggregate: its value, or why it is withheld.
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';

export type SuppressionReason = 'SMALL_COUNT' | 'SMALL_GROUP' | 'SMALL_TABLE' | 'ONE_SITE';
export type Status = SuppressionReason | null;

export type Cell = { keys: string[]; value: number | null; suppressed: boolean; reason: SuppressionReason | null };

export const SuppressionReasonEnum = describedEnum<SuppressionReason>('SuppressionReason', 'Why a figure is withheld.', {
  SMALL_COUNT:
    'It counts fewer people than the suppression threshold (5 unless configured), possibly none, before or after perturbation; or, for a share, it would let such a count be worked out.',
  SMALL_GROUP: 'It describes a group withheld for its size (a mean, a share, a change, a count of their prescriptions).',
  SMALL_TABLE: 'The total of its table, or of its row or column in a two-way table, is withheld: then so is every figure it adds up, zeros included.',
  ONE_SITE: 'It is about a region that covers fewer than two of the answer’s sites, so it would name a site: whatever it counts, it is withheld.',
});

export const CellRef = builder.objectRef<Cell>('Cell').implement({
  authz: 'reached',
  description:
    'One figure of an aggregate, perturbed by the cell-key method (the same people always give the same figure). Withheld figures have `suppressed: true`, a reason, and no value.',
  fields: (t) => ({
    keys: t.exposeStringList('keys', {
      description: 'What the figure is about, one key per dimension of the answer in the order asked (empty for a total).',
    }),
    value: t.exposeFloat('value', {
      nullable: true,
      description: 'The figure; null when suppressed, or when there is nobody to average over.',
    }),
    suppressed: t.exposeBoolean('suppressed', { description: 'Whether the figure is withheld.' }),
    reason: t.expose('reason', { type: SuppressionReasonEnum, nullable: true, description: 'Why it is withheld.' }),
  }),
});

export const cell = (keys: string[], value: number | null, status: Status): Cell =>
  status ? { keys, value: null, suppressed: true, reason: status } : { keys, value, suppressed: false, reason: null };

/** A count as published (null: withheld as small), within a table or row whose own status is `within`. */
export const countCell = (keys: string[], published: number | null, within: Status = null): Cell =>
  cell(keys, published, within === 'ONE_SITE' ? within : within ? 'SMALL_TABLE' : published === null ? 'SMALL_COUNT' : null);

/** A figure about a group (its prescriptions, a mean, a share): withheld with the group. */
export const groupCell = (keys: string[], value: number | null, group: Cell): Cell =>
  group.suppressed ? cell(keys, null, group.reason === 'SMALL_COUNT' ? 'SMALL_GROUP' : group.reason) : cell(keys, value, null);

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
