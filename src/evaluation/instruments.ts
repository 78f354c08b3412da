// The pilot's standard outcome instruments: how many items each has, the range of each answer,
// and how a set of answers is scored. The one definition the API and the demo data share.
import { z } from 'zod';
import type { Instrument } from '../generated/prisma/enums.js';

type InstrumentDefinition = {
  /** What it asks, item by item in the order answers are stored, and how answers are coded. */
  description: string;
  items: number;
  min: number;
  max: number;
  /** Whether the answers add up to a score; ONS4 reports its four questions separately. */
  summed: boolean;
};

export const instruments = {
  UCLA_LONELINESS_3: {
    description:
      'Three-item UCLA Loneliness Scale: lacks companionship, feels left out, feels isolated from others; each 1 hardly ever, 2 some of the time, 3 often. Score 3–9, higher is lonelier; 6 or more counts as lonely.',
    items: 3,
    min: 1,
    max: 3,
    summed: true,
  },
  SWEMWBS: {
    description:
      'Short Warwick-Edinburgh Mental Wellbeing Scale: seven statements (optimistic, useful, relaxed, dealing with problems well, thinking clearly, close to other people, able to make up own mind), each 1 none of the time … 5 all of the time. Score is the raw total 7–35; metricScore its published Rasch conversion.',
    items: 7,
    min: 1,
    max: 5,
    summed: true,
  },
  COMMUNITY_BELONGING: {
    description: 'Sense of belonging to the local community, 1 very weak … 4 very strong. Score is the answer.',
    items: 1,
    min: 1,
    max: 4,
    summed: true,
  },
  SELF_RATED_HEALTH: {
    description: 'Self-rated health in general, 1 poor … 5 excellent. Score is the answer.',
    items: 1,
    min: 1,
    max: 5,
    summed: true,
  },
  SELF_RATED_MENTAL_HEALTH: {
    description: 'Self-rated mental health in general, 1 poor … 5 excellent. Score is the answer.',
    items: 1,
    min: 1,
    max: 5,
    summed: true,
  },
  ONS4: {
    description:
      'ONS4 personal wellbeing: life satisfaction, worthwhile, happiness, anxiety, each 0–10. The four are reported separately, never summed: no score.',
    items: 4,
    min: 0,
    max: 10,
    summed: false,
  },
} as const satisfies Record<Instrument, InstrumentDefinition>;

/** Every instrument, in the order above. */
export const instrumentNames = Object.keys(instruments) as Instrument[];

/** A UCLA loneliness total at or above this counts as lonely. */
export const UCLA_LONELY_FROM = 6;

/** SWEMWBS raw total (7–35) to metric score: the published conversion table (Stewart-Brown et al. 2009). */
const SWEMWBS_METRIC: Readonly<Record<number, number>> = {
  7: 7.0,
  8: 9.51,
  9: 11.25,
  10: 12.4,
  11: 13.33,
  12: 14.08,
  13: 14.75,
  14: 15.32,
  15: 15.84,
  16: 16.36,
  17: 16.88,
  18: 17.43,
  19: 17.98,
  20: 18.59,
  21: 19.25,
  22: 19.98,
  23: 20.73,
  24: 21.54,
  25: 22.35,
  26: 23.21,
  27: 24.11,
  28: 25.03,
  29: 26.02,
  30: 27.03,
  31: 28.13,
  32: 29.31,
  33: 30.7,
  34: 32.55,
  35: 35.0,
};

/** The answers one instrument accepts: a problem names the item by its position (from 0). */
export function itemsSchema(instrument: Instrument) {
  const { items, min, max } = instruments[instrument];
  const range = `must be between ${min} and ${max}`;
  return z.array(z.int(range).min(min, range).max(max, range)).length(items, `must hold ${items} answer${items === 1 ? '' : 's'} for ${instrument}`);
}

export type InstrumentScore = { score: number | null; metricScore: number | null };

/** Scores a set of answers; throws when they do not fit the instrument (validate input with itemsSchema first). */
export function scoreInstrument(instrument: Instrument, items: readonly number[]): InstrumentScore {
  itemsSchema(instrument).parse(items);
  if (!instruments[instrument].summed) return { score: null, metricScore: null };
  const score = items.reduce((total, value) => total + value, 0);
  return { score, metricScore: instrument === 'SWEMWBS' ? SWEMWBS_METRIC[score]! : null };
}

/** Whether a UCLA total counts as lonely; null for every other instrument. */
export function isLonely(instrument: Instrument, score: number | null): boolean | null {
  return instrument === 'UCLA_LONELINESS_3' && score !== null ? score >= UCLA_LONELY_FROM : null;
}
