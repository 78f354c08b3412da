// What aggregates can be broken down by. The names are those of the SQL functions
// (agg_key_sql in the aggregates migration), which turn each into its expression.
import {
  AgeBand,
  Answer,
  GenderIdentity,
  IncomeBand,
  Need,
  PrescriptionItemStatus,
  ReferralOutcome,
  ReferralSource,
  ReferralStatus,
  SupportLevel,
} from '../generated/prisma/enums.js';
import { describedEnum } from '../graphql/described-enum.js';

/** The key of people or prescriptions without an answer (a client who did not say or locked it, a referral not ended). */
const NOT_RECORDED = 'NOT_RECORDED';
const withNotRecorded = <T extends string>(values: T[]) => [...values, NOT_RECORDED];

/** The languages named (agg_languages in the cell-keys migration); any other counts under OTHER. */
const languages = ['en', 'fr', 'ar', 'cr', 'es', 'fa', 'fi', 'gu', 'hi', 'it', 'oj', 'pa', 'pt', 'so', 'ta', 'ti', 'tl', 'ur', 'vi', 'zh', 'OTHER'];

type Dimension = {
  description: string;
  /** Every key, listed whoever falls under them: a key listed only when someone has it would say that someone does. */
  values: readonly string[];
  /** Whether each prescription falls under exactly one key, so that the keys add up to the total. */
  additive: boolean;
};

const answers = withNotRecorded(Object.values(Answer));

export const dimensions = {
  SITE: { description: 'The site, by slug.', values: [], additive: true },
  REGION: {
    description:
      'The kind of region of the site (URBAN, RURAL, NORTHERN, from its tenant file), and FRANCOPHONE for a site whose main language is French, which so counts under two regions: regions do not add up to the total. A region that covers fewer than two of the answer’s sites is withheld (ONE_SITE), so that no figure by region names a single site.',
    values: ['URBAN', 'RURAL', 'NORTHERN', 'FRANCOPHONE'],
    additive: false,
  },
  NEED: {
    description: 'A need the prescription addresses. A prescription addressing several needs counts under each, so needs do not add up to the total.',
    values: withNotRecorded(Object.values(Need)),
    additive: false,
  },
  SUPPORT_LEVEL: { description: 'The support level.', values: Object.values(SupportLevel), additive: true },
  STATUS: { description: 'The closed-loop status now.', values: Object.values(ReferralStatus).filter((s) => s !== 'ENTERED_IN_ERROR'), additive: true },
  OUTCOME: {
    description: 'How the referral turned out; NOT_RECORDED while it has not ended.',
    values: withNotRecorded(Object.values(ReferralOutcome)),
    additive: true,
  },
  SOURCE: { description: 'Where the referral came from: the site or a partner.', values: Object.values(ReferralSource), additive: true },
  MONTH: { description: 'The month of the referral, as YYYY-MM (UTC).', values: [], additive: true },
  AGE_BAND: { description: 'The client’s age band.', values: withNotRecorded(Object.values(AgeBand)), additive: true },
  GENDER_IDENTITY: { description: 'The client’s gender identity.', values: withNotRecorded(Object.values(GenderIdentity)), additive: true },
  LANGUAGE: {
    description: 'The client’s preferred language (ISO 639 code; OTHER for a language not listed).',
    values: withNotRecorded(languages),
    additive: true,
  },
  INCOME_BAND: { description: 'The client’s household income band.', values: withNotRecorded(Object.values(IncomeBand)), additive: true },
  RACIALIZED: { description: 'Whether the client self-identifies as racialized.', values: answers, additive: true },
  INDIGENOUS: { description: 'Whether the client self-identifies as Indigenous.', values: answers, additive: true },
  LGBTQ2S: { description: 'Whether the client self-identifies as 2SLGBTQ+.', values: answers, additive: true },
  NEWCOMER: { description: 'Whether the client is a newcomer to Canada.', values: answers, additive: true },
  LIVES_ALONE: { description: 'Whether the client lives alone.', values: answers, additive: true },
  DISABILITY: { description: 'Whether the client self-identifies as living with a disability.', values: answers, additive: true },
} as const satisfies Record<string, Dimension>;

export type DimensionName = keyof typeof dimensions;
export const dimensionNames = Object.keys(dimensions) as DimensionName[];

export const equityFactors = [
  'AGE_BAND',
  'GENDER_IDENTITY',
  'LANGUAGE',
  'INCOME_BAND',
  'RACIALIZED',
  'INDIGENOUS',
  'LGBTQ2S',
  'NEWCOMER',
  'LIVES_ALONE',
  'DISABILITY',
] as const satisfies readonly DimensionName[];
export type EquityFactor = (typeof equityFactors)[number];

const keyNote = ' Keys are the enum value names of the API (NOT_RECORDED for no answer, or an answer the client locked).';

export const AggregateDimensionEnum = describedEnum<DimensionName>(
  'AggregateDimension',
  `What a breakdown groups by.${keyNote}`,
  Object.fromEntries(dimensionNames.map((name) => [name, dimensions[name].description])) as Record<DimensionName, string>,
);

export const EquityFactorEnum = describedEnum<EquityFactor>(
  'EquityFactor',
  `A self-identified sociodemographic factor of the equity lens.${keyNote}`,
  Object.fromEntries(equityFactors.map((name) => [name, dimensions[name].description])) as Record<EquityFactor, string>,
);

/** What only the supports clients were connected to (prescription items) can be broken down by. */
export const supportOnlyDimensions = {
  SUPPORT_CATEGORY: {
    description:
      'The support category of what the client was connected to: the needs its program serves, or its asset’s categories (NOT_RECORDED for none). A support in several categories counts under each, so categories do not add up to the total.',
    values: withNotRecorded(Object.values(Need)),
    additive: false,
  },
  SUPPORT_KIND: {
    description: 'What the client was connected to: a PROGRAM of the site, a PARTNER_PROGRAM, a HEALTH_CHAMPION_LED program, or a community ASSET.',
    values: ['PROGRAM', 'PARTNER_PROGRAM', 'HEALTH_CHAMPION_LED', 'ASSET'],
    additive: true,
  },
  ITEM_STATUS: {
    description: 'Where the connection stands: suggested, enrolled, attended or stopped.',
    values: Object.values(PrescriptionItemStatus),
    additive: true,
  },
} as const satisfies Record<string, Dimension>;

export type SupportDimensionName = keyof typeof supportOnlyDimensions | DimensionName;
/** The support dimensions first, then every dimension of a prescription: the canonical order of a support breakdown. */
export const supportDimensionNames = [...(Object.keys(supportOnlyDimensions) as (keyof typeof supportOnlyDimensions)[]), ...dimensionNames];
const dimensionOf = (name: SupportDimensionName): Dimension =>
  name in supportOnlyDimensions ? supportOnlyDimensions[name as keyof typeof supportOnlyDimensions] : dimensions[name as DimensionName];
export const isAdditive = (name: SupportDimensionName) => dimensionOf(name).additive;

export const SupportDimensionEnum = describedEnum<SupportDimensionName>(
  'SupportDimension',
  `What a breakdown of the supports clients were connected to groups by: the support, or the prescription it was made under and its client.${keyNote}`,
  Object.fromEntries(supportDimensionNames.map((name) => [name, dimensionOf(name).description])) as Record<SupportDimensionName, string>,
);

/** Months from the month of `from` to that of `to`, as YYYY-MM. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (let key = from.slice(0, 7); key <= last; key = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(key);
    if (++month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** Every key of a dimension for one answer, whoever is counted. */
export const keysOf = (dimension: SupportDimensionName, scope: { from: string; to: string; sites: string[] }): readonly string[] =>
  dimension === 'SITE' ? scope.sites : dimension === 'MONTH' ? monthsOf(scope.from, scope.to) : dimensionOf(dimension).values;

/** Sites an answer is priced for when the caller names none: all of them, as many as the network may grow to. */
const PRICED_NETWORK_SITES = 100;

/**
 * What an answer by these dimensions costs, in the per-operation budget (graphql/cost.ts): one unit
 * per figure it can produce, before anything is counted. A two-way table over many keys is dear.
 */
export function cellsPriced(by: readonly SupportDimensionName[], filter: { from?: Date; to?: Date; sites?: readonly string[] | null }): number {
  const months =
    filter.from && filter.to
      ? Math.max(1, (filter.to.getUTCFullYear() - filter.from.getUTCFullYear()) * 12 + filter.to.getUTCMonth() - filter.from.getUTCMonth() + 1)
      : 12;
  const keys = (dimension: SupportDimensionName) =>
    dimension === 'SITE' ? (filter.sites?.length ?? PRICED_NETWORK_SITES) : dimension === 'MONTH' ? months : dimensionOf(dimension).values.length;
  // A repeated dimension, or more than two, is refused by the resolver, with a message that says so.
  return [...new Set(by)].slice(0, 2).reduce((cells, dimension) => cells * (keys(dimension) + 1), 1);
}
