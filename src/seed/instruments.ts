// Answers to the pilot's outcome instruments, drawn from one latent "how hard things are"
// level per client and time point (0 = thriving, 1 = struggling), so a client's instruments
// agree with each other and a lower level at follow-up shows as improvement everywhere.
//
// Item coding (what the values mean, as the demo data uses them):
// - UCLA_LONELINESS_3: 3 items, 1 hardly ever … 3 often (lonely); score = sum, 3–9, higher = lonelier.
// - SWEMWBS: 7 items, 1 none of the time … 5 all of the time; score = raw sum, 7–35, higher = better;
//   metricScore = the raw sum through the published Rasch conversion table (7.00–35.00).
// - COMMUNITY_BELONGING: 1 item, 1 very weak … 4 very strong; score = the item.
// - SELF_RATED_HEALTH, SELF_RATED_MENTAL_HEALTH: 1 poor … 5 excellent; score = the item.
// - ONS4: life satisfaction, worthwhile, happiness, anxiety, each 0–10; no score (never summed).
import type { Instrument } from '../generated/prisma/enums.js';
import type { Rng } from './random.js';

export const INSTRUMENTS: readonly Instrument[] = [
  'UCLA_LONELINESS_3',
  'SWEMWBS',
  'COMMUNITY_BELONGING',
  'SELF_RATED_HEALTH',
  'SELF_RATED_MENTAL_HEALTH',
  'ONS4',
];

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const item = (value: number, min: number, max: number) => clamp(Math.round(value), min, max);

export function clampLevel(level: number): number {
  return clamp(level, 0, 1);
}

/** A client's level at baseline: people are referred when things are hard. */
export function baselineLevel(rng: Rng): number {
  return clampLevel(rng.normal(0.6, 0.17));
}

/** How much the level falls by month 6 (modest on average, worse for some). */
export function improvement(rng: Rng): number {
  return rng.normal(0.11, 0.13);
}

/** SWEMWBS raw total (7–35) to metric score, the published conversion table (Stewart-Brown et al. 2009). */
export const SWEMWBS_METRIC: Readonly<Record<number, number>> = {
  7: 7.0, 8: 9.51, 9: 11.25, 10: 12.4, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84,
  16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54,
  25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.7,
  34: 32.55, 35: 35.0,
};

export function answerInstrument(
  rng: Rng,
  instrument: Instrument,
  level: number,
): { items: number[]; score: number | null; metricScore: number | null } {
  const { items, score } = answerItems(rng, instrument, level);
  return { items, score, metricScore: instrument === 'SWEMWBS' && score !== null ? SWEMWBS_METRIC[score]! : null };
}

function answerItems(rng: Rng, instrument: Instrument, level: number): { items: number[]; score: number | null } {
  // Each instrument sees the level with a little noise of its own.
  const s = clampLevel(level + rng.normal(0, 0.08));
  switch (instrument) {
    case 'UCLA_LONELINESS_3': {
      const items = [0, 1, 2].map(() => item(1 + 2 * s + rng.normal(0, 0.45), 1, 3));
      return { items, score: sum(items) };
    }
    case 'SWEMWBS': {
      const items = [0, 1, 2, 3, 4, 5, 6].map(() => item(5 - 3.6 * s + rng.normal(0, 0.6), 1, 5));
      return { items, score: sum(items) };
    }
    case 'COMMUNITY_BELONGING': {
      const value = item(4.1 - 3 * s + rng.normal(0, 0.5), 1, 4);
      return { items: [value], score: value };
    }
    case 'SELF_RATED_HEALTH': {
      const value = item(4.6 - 3 * s + rng.normal(0, 0.65), 1, 5);
      return { items: [value], score: value };
    }
    case 'SELF_RATED_MENTAL_HEALTH': {
      const value = item(5 - 3.6 * s + rng.normal(0, 0.6), 1, 5);
      return { items: [value], score: value };
    }
    case 'ONS4': {
      const satisfaction = item(9.6 - 7 * s + rng.normal(0, 1.2), 0, 10);
      const worthwhile = item(9.6 - 6 * s + rng.normal(0, 1.2), 0, 10);
      const happiness = item(9.4 - 7 * s + rng.normal(0, 1.4), 0, 10);
      const anxiety = item(0.5 + 7.5 * s + rng.normal(0, 1.5), 0, 10);
      return { items: [satisfaction, worthwhile, happiness, anxiety], score: null };
    }
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
