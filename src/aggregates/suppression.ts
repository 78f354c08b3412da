// Small-cell suppression over the grouped rows of one answer (never over client rows).
//
// The rule, for a threshold t (SUPPRESSION_THRESHOLD, default 5):
// 1. Primary: a count of 1 to t-1 people is suppressed (SMALL_COUNT), and so is every other
//    figure about such a group: its prescriptions, mean change, shares (SMALL_GROUP).
// 2. Complementary (COMPLEMENTARY): the published figures obey relations (a total is the sum of its
//    cells: a breakdown total, the margins of a two-way table, the groups of the equity lens).
//    In every relation a suppressed figure never stands alone, and the suppressed parts of a
//    relation with a published total leave each small count at least two possible values, given
//    that a small count lies between 1 and t-1 and a published count is 0 or at least t (two
//    cells of 1 must not be given away by their sum of 2).
// 3. Check: the relations are row-reduced over the suppressed figures, the way an attacker solves
//    them. No suppressed figure may be determined, and the figures fixed by another answer of the
//    same period (the margins and totals a two-way table shares with one-way breakdowns) may not
//    be pinned down any further than those answers alone allow, so any number of answers of one
//    period together still solve nothing. Should the check fail, whole lines of the table are
//    suppressed, then the whole table. A suppressed figure the relations determine anyway (its
//    value follows from published ones) is published instead: that tells an attacker nothing new.
// Totals are only ever suppressed as primary cells, so a figure reads the same in every answer.

export type SuppressionReason = 'SMALL_COUNT' | 'SMALL_GROUP' | 'COMPLEMENTARY';
export type Status = SuppressionReason | null;

export type Figure = {
  /** People the figure counts (for a breakdown cell, its distinct clients). */
  people: number;
  /** Status decided by another answer (a total, a margin): kept, never changed here. */
  fixed?: Status;
  /** Suppressed whatever its count: a figure about a group too small to describe. */
  forced?: SuppressionReason;
};

/** The figure at `total` is the sum of the figures at `parts` (indexes into the figures). */
export type Relation = { total: number; parts: number[] };

class UnsafeSuppression extends Error {}

export function suppress(figures: Figure[], relations: Relation[], threshold: number): Status[] {
  const isOwn = (i: number) => figures[i]!.fixed === undefined;
  const status: Status[] = figures.map((f) =>
    f.fixed !== undefined ? f.fixed : (f.forced ?? (f.people >= 1 && f.people < threshold ? 'SMALL_COUNT' : null)),
  );
  const sensitive = status.map((s, i) => isOwn(i) && s !== null);
  complement(figures, relations, status, threshold);

  const widenings = [
    // Every part of a relation that holds a suppressed figure.
    () => relations.filter((r) => [r.total, ...r.parts].some((i) => status[i])).flatMap((r) => r.parts),
    () => figures.map((_, i) => i),
  ];
  for (let attempt = 0; ; attempt++) {
    const { determined, pinsFixed } = exposure(figures, relations, status);
    if (!pinsFixed && ![...determined].some((i) => sensitive[i])) {
      for (const i of determined) status[i] = null;
      return status;
    }
    const widen = widenings[attempt];
    if (!widen) throw new UnsafeSuppression('no suppression pattern protects this table');
    for (const i of widen()) if (isOwn(i) && !status[i]) status[i] = 'COMPLEMENTARY';
  }
}

/** Rule 2, to a fixed point. */
function complement(figures: Figure[], relations: Relation[], status: Status[], threshold: number) {
  const candidates = (r: Relation) => r.parts.filter((i) => !status[i] && figures[i]!.fixed === undefined);
  const smallest = (parts: number[], atLeast: number) =>
    parts.filter((i) => figures[i]!.people >= atLeast).sort((a, b) => figures[a]!.people - figures[b]!.people || a - b)[0];
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of relations) {
      const suppressed = [r.total, ...r.parts].filter((i) => status[i]);
      if (suppressed.length === 0) continue;
      let pick: number | undefined;
      if (suppressed.length === 1) {
        const open = candidates(r);
        pick = smallest(open, 1) ?? smallest(open, 0);
      } else if (!status[r.total] && !leavesRoom(figures, r, status, threshold)) {
        const open = candidates(r);
        pick = smallest(open, threshold + 1) ?? smallest(open, 1);
      }
      if (pick !== undefined) {
        status[pick] = 'COMPLEMENTARY';
        changed = true;
      }
    }
  }
}

/** Whether each small count among the suppressed parts keeps at least two possible values. */
function leavesRoom(figures: Figure[], r: Relation, status: Status[], threshold: number) {
  const hidden = r.parts.filter((i) => status[i]);
  const bounds = hidden.map((i) => {
    const people = figures[i]!.people;
    if (status[i] === 'SMALL_COUNT') return [1, threshold - 1] as const;
    return [status[i] === 'COMPLEMENTARY' && people > 0 ? threshold : 0, Infinity] as const;
  });
  const sum = hidden.reduce((total, i) => total + figures[i]!.people, 0);
  const low = bounds.reduce((total, [lo]) => total + lo, 0);
  const high = bounds.reduce((total, [, hi]) => total + hi, 0);
  return hidden.every((i, k) => {
    if (status[i] !== 'SMALL_COUNT') return true;
    const [lo, hi] = bounds[k]!;
    const least = Math.max(lo, sum - (high - hi));
    const most = Math.min(hi, sum - (low - lo));
    return most > least;
  });
}

const EPSILON = 1e-9;

/**
 * What the relations give away about the suppressed figures: those they determine, and whether
 * they say more about the fixed figures than the relations among fixed figures alone do.
 */
function exposure(figures: Figure[], relations: Relation[], status: Status[]) {
  const hidden = figures.map((_, i) => i).filter((i) => status[i]);
  // Own figures first: rows whose pivot falls among the fixed ones then carry no own figure.
  hidden.sort((a, b) => Number(figures[a]!.fixed !== undefined) - Number(figures[b]!.fixed !== undefined) || a - b);
  const column = new Map(hidden.map((figure, j) => [figure, j]));
  const ownColumns = hidden.filter((i) => figures[i]!.fixed === undefined).length;
  const rows: Float64Array[] = [];
  const fixedOnly: Float64Array[] = [];
  for (const r of relations) {
    const row = new Float64Array(hidden.length);
    let any = false;
    for (const [figure, sign] of [[r.total, 1], ...r.parts.map((p) => [p, -1] as const)] as const) {
      const j = column.get(figure);
      if (j === undefined) continue;
      row[j]! += sign;
      any = true;
    }
    if (!any) continue;
    rows.push(row);
    if ([r.total, ...r.parts].every((i) => figures[i]!.fixed !== undefined)) fixedOnly.push(Float64Array.from(row));
  }
  const pivots = rowReduce(rows);
  const determined = new Set<number>();
  let fixedPivots = 0;
  pivots.forEach((j, k) => {
    if (j >= ownColumns) fixedPivots++;
    else if (rows[k]!.every((v, c) => c === j || Math.abs(v) < EPSILON)) determined.add(hidden[j]!);
  });
  return { determined, pinsFixed: fixedPivots > rowReduce(fixedOnly).length };
}

/** Reduced row echelon form in place; returns the pivot column of each leading row. */
function rowReduce(rows: Float64Array[]): number[] {
  const pivots: number[] = [];
  const width = rows[0]?.length ?? 0;
  for (let j = 0; j < width && pivots.length < rows.length; j++) {
    const top = pivots.length;
    let best = top;
    for (let k = top + 1; k < rows.length; k++) if (Math.abs(rows[k]![j]!) > Math.abs(rows[best]![j]!)) best = k;
    if (Math.abs(rows[best]![j]!) < EPSILON) continue;
    [rows[top], rows[best]] = [rows[best]!, rows[top]!];
    const pivotRow = rows[top]!;
    const scale = pivotRow[j]!;
    for (let c = j; c < width; c++) pivotRow[c]! /= scale;
    for (let k = 0; k < rows.length; k++) {
      const factor = rows[k]![j]!;
      if (k === top || Math.abs(factor) < EPSILON) continue;
      const row = rows[k]!;
      for (let c = j; c < width; c++) row[c]! -= factor * pivotRow[c]!;
    }
    pivots.push(j);
  }
  return pivots;
}
