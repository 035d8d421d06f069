import type { DmpLookalikeRow } from './lookalike.tables.js';
import type { ModelKind, TraitStat } from './model.js';

/** What `dmp_lookalikes.weights` holds: traits best first. */
export interface StoredModel {
  bias: number;
  traits: TraitStat[];
}

/** One point of the accuracy-versus-reach curve as stored at training time. */
interface StoredPoint {
  reach: number;
  precision: number;
  recall: number;
  audienceSize: number;
  baselinePrecision: number;
}

export interface CurvePointView extends Omit<StoredPoint, 'audienceSize'> {
  /** IDs an activation at this reach would realize; null when under the minimum size. */
  audienceSize: number | null;
  suppressed: boolean;
  /** Precision over the random ranking's. */
  lift: number;
}

export interface TopTrait extends TraitStat {
  name: string | null;
}

/** A lookalike as the API shows it. */
export interface Lookalike {
  id: string;
  /** The trait activation realizes: use it in segment rules. */
  traitId: string;
  name: string;
  description: string;
  seed: { segmentId: string } | { list: string };
  model: ModelKind;
  status: 'trained' | 'active';
  holdout: number;
  ttlDays: number;
  seedSize: number;
  /** Non-seed IDs scored at training; null when under the minimum size. */
  populationSize: number | null;
  minSegmentSize: number;
  curve: CurvePointView[];
  topTraits: TopTrait[];
  activation: { reach: number; audienceSize: number; activatedAt: string } | null;
  trainedAt: string;
  createdAt: string;
  updatedAt: string;
}

const TOP_TRAITS = 20;
const round = (x: number) => Math.round(x * 1e4) / 1e4;

export async function toLookalike(
  row: DmpLookalikeRow,
  k: number,
  namesOf: (traitIds: string[]) => Promise<Map<string, string>>,
): Promise<Lookalike> {
  const model = JSON.parse(row.weights) as StoredModel;
  const top = model.traits.slice(0, TOP_TRAITS);
  const names = await namesOf(top.map((t) => t.traitId));
  const curve = (JSON.parse(row.curve) as StoredPoint[]).map((p) => ({
    reach: p.reach,
    audienceSize: p.audienceSize < k ? null : p.audienceSize,
    suppressed: p.audienceSize < k,
    precision: round(p.precision),
    recall: round(p.recall),
    baselinePrecision: round(p.baselinePrecision),
    lift: p.baselinePrecision > 0 ? round(p.precision / p.baselinePrecision) : 0,
  }));
  return {
    id: row.id,
    traitId: row.id,
    name: row.name,
    description: row.description,
    seed: row.seed_kind === 'list' ? { list: row.seed_ref } : { segmentId: row.seed_ref },
    model: row.model as ModelKind,
    status: row.status === 'active' ? 'active' : 'trained',
    holdout: row.holdout,
    ttlDays: row.ttl_days,
    seedSize: row.seed_size,
    populationSize: row.population_size < k ? null : row.population_size,
    minSegmentSize: k,
    curve,
    topTraits: top.map((t) => ({
      traitId: t.traitId,
      name: names.get(t.traitId) ?? null,
      weight: round(t.weight),
      lift: round(t.lift),
      seedRate: round(t.seedRate),
      populationRate: round(t.populationRate),
    })),
    activation:
      row.status === 'active' && row.active_reach !== null && row.activated_at !== null
        ? {
            reach: round(row.active_reach),
            audienceSize: row.active_count ?? 0,
            activatedAt: row.activated_at,
          }
        : null,
    trainedAt: row.trained_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
