// Answers to the pilot's outcome instruments, drawn from one latent "how hard things are"
// level per client and time point (0 = thriving, 1 = struggling), so a client's instruments
// agree with each other and a lower level at follow-up shows as improvement everywhere.
// What the items mean, their ranges and the scoring are the API's (evaluation/instruments.ts).
import type { Instrument } from '../generated/prisma/enums.js';
import { instruments, scoreInstrument, type InstrumentScore } from '../evaluation/instruments.js';
import type { Rng } from './random.js';

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

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

export function answerInstrument(rng: Rng, instrument: Instrument, level: number): { items: number[] } & InstrumentScore {
  const items = answerItems(rng, instrument, level);
  return { items, ...scoreInstrument(instrument, items) };
}

function answerItems(rng: Rng, instrument: Instrument, level: number): number[] {
  // Each instrument sees the level with a little noise of its own.
  const s = clampLevel(level + rng.normal(0, 0.08));
  const { min, max } = instruments[instrument];
  const answer = (value: number) => clamp(Math.round(value), min, max);
  switch (instrument) {
    case 'UCLA_LONELINESS_3':
      return [0, 1, 2].map(() => answer(1 + 2 * s + rng.normal(0, 0.45)));
    case 'SWEMWBS':
      return [0, 1, 2, 3, 4, 5, 6].map(() => answer(5 - 3.6 * s + rng.normal(0, 0.6)));
    case 'COMMUNITY_BELONGING':
      return [answer(4.1 - 3 * s + rng.normal(0, 0.5))];
    case 'SELF_RATED_HEALTH':
      return [answer(4.6 - 3 * s + rng.normal(0, 0.65))];
    case 'SELF_RATED_MENTAL_HEALTH':
      return [answer(5 - 3.6 * s + rng.normal(0, 0.6))];
    case 'ONS4': {
      const satisfaction = answer(9.6 - 7 * s + rng.normal(0, 1.2));
      const worthwhile = answer(9.6 - 6 * s + rng.normal(0, 1.2));
      const happiness = answer(9.4 - 7 * s + rng.normal(0, 1.4));
      const anxiety = answer(0.5 + 7.5 * s + rng.normal(0, 1.5));
      return [satisfaction, worthwhile, happiness, anxiety];
    }
  }
}
