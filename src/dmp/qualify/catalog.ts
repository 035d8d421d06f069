import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { DB } from '../../storage/schema.js';
import type { DmpSegmentRow, DmpTraitRow } from '../dmp.tables.js';
import { parseSegmentExpression } from '../segments/expression.js';
import { allSegments } from '../segments/segment.repository.js';
import { allTraits } from '../traits/trait.repository.js';
import type { TraitRule } from '../traits/trait-rule.js';
import type { CompiledSegment, CompiledTrait } from './engine.js';

/** Every trait and segment, parsed once, as qualification and activation need them. */
export interface Catalog {
  traits: CompiledTrait[];
  traitsById: ReadonlyMap<string, CompiledTrait>;
  segments: CompiledSegment[];
  segmentsById: ReadonlyMap<string, CompiledSegment>;
}

const DAY_MS = 86_400_000;

export function compileTrait(row: DmpTraitRow): CompiledTrait {
  return {
    id: row.id,
    rule: row.rule === null ? null : (JSON.parse(row.rule) as TraitRule),
    ttlMs: row.ttl_days * DAY_MS,
  };
}

export function compileSegment(row: DmpSegmentRow): CompiledSegment {
  return {
    id: row.id,
    expr: parseSegmentExpression(row.expression),
    taxonomyIds: JSON.parse(row.taxonomy_ids) as number[],
  };
}

/**
 * The catalog, cached in process. Changes made through this process invalidate it at once;
 * changes made by another process show up within `refreshMs`, so qualification and activation
 * never run a query per signal just to learn the rules.
 */
export class CatalogCache {
  private current: Catalog | undefined;
  private loadedAt = 0;
  private loading: { generation: number; promise: Promise<Catalog> } | undefined;
  /** Bumped by every invalidation, so a load that started before a change is never kept. */
  private generation = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly refreshMs = 5_000,
  ) {}

  async get(): Promise<Catalog> {
    const now = this.clock.now().getTime();
    if (this.current && now - this.loadedAt < this.refreshMs) return this.current;
    if (this.loading?.generation !== this.generation) {
      const generation = this.generation;
      const promise = this.load(generation).finally(() => {
        if (this.loading?.promise === promise) this.loading = undefined;
      });
      this.loading = { generation, promise };
    }
    return this.loading.promise;
  }

  /** The catalog as last loaded, without waiting (the hot lookup path); undefined before. */
  peek(): Catalog | undefined {
    return this.current;
  }

  invalidate(): void {
    this.generation++;
    this.current = undefined;
  }

  private async load(generation: number): Promise<Catalog> {
    const [traitRows, segmentRows] = await Promise.all([allTraits(this.db), allSegments(this.db)]);
    const traits = traitRows.map(compileTrait);
    const segments = segmentRows.map(compileSegment);
    const catalog: Catalog = {
      traits,
      traitsById: new Map(traits.map((t) => [t.id, t])),
      segments,
      segmentsById: new Map(segments.map((s) => [s.id, s])),
    };
    if (generation === this.generation) {
      this.current = catalog;
      this.loadedAt = this.clock.now().getTime();
    }
    return catalog;
  }
}
