// One published figure of an aggregate: its value, or why it is withheld.
import { builder } from '../graphql/builder.js';
import { describedEnum } from '../graphql/described-enum.js';
import type { Status, SuppressionReason } from './suppression.js';

export type Cell = { keys: string[]; value: number | null; suppressed: boolean; reason: SuppressionReason | null };

export const SuppressionReasonEnum = describedEnum<SuppressionReason>('SuppressionReason', 'Why a figure is withheld.', {
  SMALL_COUNT: 'It counts more than no one but fewer people than the suppression threshold (5 unless configured).',
  SMALL_GROUP: 'It describes a group of fewer people than the suppression threshold (a mean, a share, a change, a count of their prescriptions).',
  COMPLEMENTARY: 'Published, it would let a withheld figure be worked out by subtracting figures from a total.',
});

export const CellRef = builder.objectRef<Cell>('Cell').implement({
  description: 'One figure of an aggregate. Withheld figures have `suppressed: true`, a reason, and no value.',
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

/** A figure about a group (its prescriptions, a mean, a share): withheld with the group. */
export const groupCell = (keys: string[], value: number | null, groupStatus: Status): Cell =>
  cell(keys, value, groupStatus === 'SMALL_COUNT' ? 'SMALL_GROUP' : groupStatus);

export const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
