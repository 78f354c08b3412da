// The cell-key method (as the ABS's TableBuilder and the ONS's Census 2021 tables use it): each
// count comes with its cell key, the sum modulo 1 of the random record keys of the units it
// counts (computed in SQL, cell-keys migration), and is published as its true value plus a
// perturbation looked up in one fixed table by that key. The same units always read the same,
// however and however often they are asked for, so repeating a question gains nothing, and the
// difference of two answers carries the perturbation of both.
//
// The table: perturbations -D..D with mean 0 and variance V (PERTURBATION_MAX, PERTURBATION_VARIANCE),
// their probabilities shaped as exp(-λk²) with λ chosen for V (the flattest such table when V is as
// large as it may be, D(D+1)/3). Key intervals in the order -D..D: a key falling in the k-th interval
// perturbs by its k. A count below the threshold t is withheld, nobody included, and so is any whose
// perturbed value falls below t, so no published count is 1 to t-1 or negative, and a withheld count
// is anything from 0 to t-1+D: no bound of it names a person (see the README).
import type { Config } from '../config.js';

export type Perturbation = {
  /** Fewest people a published figure may count or describe. */
  threshold: number;
  /** Largest perturbation of a count, D. */
  maxPerturbation: number;
  /** Variance of a count's perturbation, V. */
  variance: number;
  /** Largest perturbation of a sum, as a share of its largest contribution. */
  magnitude: number;
  /** Upper end of each key interval, for perturbations -D..D. */
  upTo: number[];
};

/** The probabilities of perturbations -D..D: exp(-λk²), normalized, with variance V. */
export function perturbationTable(D: number, V: number): number[] {
  const flattest = (D * (D + 1)) / 3;
  if (!(D >= 1 && V > 0 && V <= flattest)) throw new Error(`perturbation variance must be above 0 and at most ${flattest} for a largest perturbation of ${D}`);
  const ks = Array.from({ length: 2 * D + 1 }, (_, i) => i - D);
  const shape = (lambda: number) => {
    const weights = ks.map((k) => Math.exp(-lambda * k * k));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  };
  const varianceOf = (p: number[]) => p.reduce((s, q, i) => s + q * ks[i]! ** 2, 0);
  let [low, high] = [0, 50];
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (varianceOf(shape(mid)) > V) low = mid;
    else high = mid;
  }
  return shape(low);
}

const tables = new WeakMap<Config, Perturbation>();

/** The disclosure control an answer is published under, from the server's configuration. */
export function perturbationOf(config: Config): Perturbation {
  let p = tables.get(config);
  if (!p) {
    const { maxPerturbation, variance, magnitude } = config.perturbation;
    let sum = 0;
    const upTo = perturbationTable(maxPerturbation, variance).map((q) => (sum += q));
    upTo[upTo.length - 1] = 1;
    p = { threshold: config.suppressionThreshold, maxPerturbation, variance, magnitude, upTo };
    tables.set(config, p);
  }
  return p;
}

/** The perturbation of a cell key (a fraction in [0, 1)). */
const lookUp = (p: Perturbation, key: number) => p.upTo.findIndex((end) => key < end) - p.maxPerturbation;

/** A count as published: null when withheld (under the threshold, before or after perturbation). */
export function perturbCount(p: Perturbation, count: number, key: number): number | null {
  if (count < p.threshold) return null;
  const value = count + lookUp(p, key);
  return value < p.threshold ? null : value;
}

/**
 * A sum (of score changes, of visits) as published: moved by up to `magnitude` times its largest
 * contribution, in the proportion the table gives a key drawn from lower bits of the cell key
 * (`salt` picks which, so that several sums over the same units move independently).
 */
export function perturbSum(p: Perturbation, sum: number, largest: number, key: number, salt: number): number {
  const drawn = (key * 2 ** (16 + 8 * salt)) % 1;
  return sum + (lookUp(p, drawn) / p.maxPerturbation) * p.magnitude * largest;
}

/**
 * What a published figure tells an attacker who knows this table: a published count is its truth
 * within ±D; a withheld one is anything from 0 to t-1+D.
 */
export const attackerBounds = (p: Perturbation) => ({ D: p.maxPerturbation, withheld: [0, p.threshold - 1 + p.maxPerturbation] as [number, number] });
