// The standard instruments: bounds, scoring, the SWEMWBS conversion and the UCLA loneliness threshold.
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../src/generated/prisma/enums.js';
import { instrumentNames, instruments, isLonely, itemsSchema, scoreInstrument } from '../src/evaluation/instruments.js';

const bounds: Record<Instrument, { items: number; min: number; max: number }> = {
  UCLA_LONELINESS_3: { items: 3, min: 1, max: 3 },
  SWEMWBS: { items: 7, min: 1, max: 5 },
  COMMUNITY_BELONGING: { items: 1, min: 1, max: 4 },
  SELF_RATED_HEALTH: { items: 1, min: 1, max: 5 },
  SELF_RATED_MENTAL_HEALTH: { items: 1, min: 1, max: 5 },
  ONS4: { items: 4, min: 0, max: 10 },
};
const filled = (instrument: Instrument, value: number) => Array<number>(bounds[instrument].items).fill(value);
const problems = (instrument: Instrument, items: number[]) =>
  itemsSchema(instrument)
    .safeParse(items)
    .error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) ?? [];

describe('instrument bounds', () => {
  it('defines exactly the six instruments of the data model', () => {
    expect(instrumentNames).toEqual(Object.keys(bounds));
    for (const name of instrumentNames) expect(instruments[name]).toMatchObject(bounds[name]);
  });

  it.each(Object.keys(bounds) as Instrument[])('%s accepts its lowest and highest answers', (instrument) => {
    const { min, max } = bounds[instrument];
    expect(problems(instrument, filled(instrument, min))).toEqual([]);
    expect(problems(instrument, filled(instrument, max))).toEqual([]);
  });

  it.each(Object.keys(bounds) as Instrument[])('%s rejects an answer out of range, naming the item', (instrument) => {
    const { items, min, max } = bounds[instrument];
    const last = items - 1;
    const below = filled(instrument, min);
    below[last] = min - 1;
    expect(problems(instrument, below)).toEqual([{ path: String(last), message: `must be between ${min} and ${max}` }]);
    const above = filled(instrument, max);
    above[0] = max + 1;
    expect(problems(instrument, above)).toEqual([{ path: '0', message: `must be between ${min} and ${max}` }]);
    const fraction = filled(instrument, min);
    fraction[0] = min + 0.5;
    expect(problems(instrument, fraction)).toEqual([{ path: '0', message: `must be between ${min} and ${max}` }]);
  });

  it.each(Object.keys(bounds) as Instrument[])('%s rejects too few and too many answers', (instrument) => {
    const { items, min } = bounds[instrument];
    expect(problems(instrument, filled(instrument, min).slice(1))).toEqual([{ path: '', message: expect.stringContaining(`must hold ${items} answer`) }]);
    expect(problems(instrument, [...filled(instrument, min), min])).toEqual([{ path: '', message: expect.stringContaining(`must hold ${items} answer`) }]);
  });

  it('refuses to score answers that do not fit', () => {
    expect(() => scoreInstrument('UCLA_LONELINESS_3', [1, 2, 4])).toThrow();
    expect(() => scoreInstrument('SWEMWBS', [1, 2, 3])).toThrow();
  });
});

describe('scoring', () => {
  it('sums the UCLA items: 3 to 9', () => {
    expect(scoreInstrument('UCLA_LONELINESS_3', [1, 1, 1])).toEqual({ score: 3, metricScore: null });
    expect(scoreInstrument('UCLA_LONELINESS_3', [3, 3, 3])).toEqual({ score: 9, metricScore: null });
    expect(scoreInstrument('UCLA_LONELINESS_3', [1, 2, 3])).toEqual({ score: 6, metricScore: null });
  });

  it('calls a UCLA total of 6 or more lonely, and nothing else', () => {
    expect(isLonely('UCLA_LONELINESS_3', 5)).toBe(false);
    expect(isLonely('UCLA_LONELINESS_3', 6)).toBe(true);
    expect(isLonely('UCLA_LONELINESS_3', 9)).toBe(true);
    expect(isLonely('UCLA_LONELINESS_3', 3)).toBe(false);
    expect(isLonely('SWEMWBS', 9)).toBeNull();
    expect(isLonely('ONS4', null)).toBeNull();
  });

  it('converts the SWEMWBS raw total to the published metric score', () => {
    expect(scoreInstrument('SWEMWBS', filled('SWEMWBS', 1))).toEqual({ score: 7, metricScore: 7 });
    expect(scoreInstrument('SWEMWBS', filled('SWEMWBS', 5))).toEqual({ score: 35, metricScore: 35 });
    expect(scoreInstrument('SWEMWBS', [2, 1, 1, 1, 1, 1, 1])).toEqual({ score: 8, metricScore: 9.51 });
    expect(scoreInstrument('SWEMWBS', [3, 3, 3, 3, 3, 3, 3])).toEqual({ score: 21, metricScore: 19.25 });
    expect(scoreInstrument('SWEMWBS', [3, 3, 3, 3, 3, 3, 4])).toEqual({ score: 22, metricScore: 19.98 });
    expect(scoreInstrument('SWEMWBS', [4, 4, 4, 4, 4, 4, 4])).toEqual({ score: 28, metricScore: 25.03 });
    expect(scoreInstrument('SWEMWBS', [5, 5, 5, 5, 5, 5, 4])).toEqual({ score: 34, metricScore: 32.55 });
  });

  it('has a metric score for every SWEMWBS total, rising with it', () => {
    const metric = (raw: number) => {
      const items = filled('SWEMWBS', 1);
      for (let extra = raw - 7, i = 0; extra > 0; i++) {
        const add = Math.min(4, extra);
        items[i] = 1 + add;
        extra -= add;
      }
      return scoreInstrument('SWEMWBS', items).metricScore!;
    };
    const table = Array.from({ length: 29 }, (_, i) => metric(7 + i));
    expect(table.every((value, i) => i === 0 || value > table[i - 1]!)).toBe(true);
    expect([table[0], table[10], table[28]]).toEqual([7, 16.88, 35]);
  });

  it.each(['COMMUNITY_BELONGING', 'SELF_RATED_HEALTH', 'SELF_RATED_MENTAL_HEALTH'] as const)('scores %s as its one answer', (instrument) => {
    const { min, max } = bounds[instrument];
    expect(scoreInstrument(instrument, [min])).toEqual({ score: min, metricScore: null });
    expect(scoreInstrument(instrument, [max])).toEqual({ score: max, metricScore: null });
  });

  it('never sums ONS4', () => {
    expect(scoreInstrument('ONS4', [10, 10, 10, 0])).toEqual({ score: null, metricScore: null });
    expect(scoreInstrument('ONS4', [0, 0, 0, 10])).toEqual({ score: null, metricScore: null });
  });
});
