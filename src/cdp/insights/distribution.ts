import type { Deps } from '../../kernel/deps.js';
import { badRequest } from '../../kernel/errors.js';
import * as repo from './insight.repository.js';
import { audienceFilter } from './insight.service.js';

// Trait names become JSON paths inside SQL text, so only plain segments are accepted.
const traitPath = /^[A-Za-z0-9_$-]{1,100}(\.[A-Za-z0-9_$-]{1,100}){0,4}$/;

export interface TraitDistribution {
  trait: string;
  /** `computed` when the name is a computed trait key, else `profile` (predictions included). */
  source: 'profile' | 'computed';
  kind: 'numeric' | 'categorical' | 'empty';
  audience: string | null;
  /** Current profiles considered, and how many have no value. */
  profiles: number;
  missing: number;
  top: { value: unknown; count: number }[];
  /** Other distinct values beyond `top`, and the profiles holding them. */
  others: { values: number; count: number };
  histogram: {
    min: number;
    max: number;
    buckets: { from: number; to: number; count: number }[];
  } | null;
}

/**
 * How a trait's values are spread over current profiles: the most frequent values, and for
 * numeric traits (at least 90% of values are numbers) an equal-width histogram as well.
 */
export async function traitDistribution(
  deps: Pick<Deps, 'db' | 'clock'>,
  name: string,
  input: { top?: number | undefined; buckets?: number | undefined; audience?: string | undefined },
): Promise<TraitDistribution> {
  if (!traitPath.test(name))
    throw badRequest('Trait names are letters, digits, _, - and $, dotted for nested values', [
      { field: 'name', message: 'must match ^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$' },
    ]);
  const audience = await audienceFilter(deps, input.audience);
  const computedTraitId = await repo.computedTraitId(deps.db, name);
  const { values, profiles } = await repo.traitValueCounts(deps.db, {
    path: name.split('.'),
    computedTraitId,
    audienceId: audience?.id,
  });
  const decoded = values.map((v) => ({ value: JSON.parse(v.json) as unknown, count: v.count }));
  const present = decoded.reduce((a, v) => a + v.count, 0);
  const numeric = decoded.filter((v) => typeof v.value === 'number');
  const numericCount = numeric.reduce((a, v) => a + v.count, 0);
  const kind = present === 0 ? 'empty' : numericCount >= 0.9 * present ? 'numeric' : 'categorical';
  const limit = input.top ?? 10;
  const sorted = decoded
    .slice()
    .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  const top = sorted.slice(0, limit);
  const rest = sorted.slice(limit);
  return {
    trait: name,
    source: computedTraitId ? 'computed' : 'profile',
    kind,
    audience: audience?.id ?? null,
    profiles,
    missing: Math.max(0, profiles - present),
    top,
    others: { values: rest.length, count: rest.reduce((a, v) => a + v.count, 0) },
    histogram:
      kind === 'numeric'
        ? histogram(
            numeric.map((v) => ({ x: v.value as number, count: v.count })),
            input.buckets ?? 10,
          )
        : null,
  };
}

/** Equal-width buckets over [min, max]; the last bucket includes max. */
function histogram(points: { x: number; count: number }[], buckets: number) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x < min) min = p.x;
    if (p.x > max) max = p.x;
  }
  const n = min === max ? 1 : buckets;
  const width = (max - min) / n;
  const out = Array.from({ length: n }, (_, i) => ({
    from: min + i * width,
    to: i === n - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const p of points) {
    const i = width === 0 ? 0 : Math.min(n - 1, Math.floor((p.x - min) / width));
    const bucket = out[i];
    if (bucket) bucket.count += p.count;
  }
  return { min, max, buckets: out };
}
