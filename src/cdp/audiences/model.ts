import { emptyState, type TraitSpec, traitValue } from './aggregates.js';
import type { Db } from './audience.repository.js';
import type { ComputedTraitDefinition, Condition } from './definition.js';
import { durationMs } from './definition.js';
import {
  audienceDependencies,
  type Compiled,
  compileCondition,
  orderByDependencies,
  usesAccounts,
} from './evaluate.js';

/** A computed trait as the engine uses it. */
export interface TraitInfo {
  id: string;
  key: string;
  name: string;
  status: string;
  spec: TraitSpec;
}

/** An audience as the engine uses it. */
export interface AudienceInfo {
  id: string;
  key: string;
  name: string;
  mode: 'realtime' | 'batch';
  status: string;
  compiled: Compiled;
  hidden: TraitSpec[];
  accounts: boolean;
}

/** Everything the engine needs to know about definitions, read once per batch or tick. */
export interface AudienceModel {
  /** Visible and hidden traits by id. */
  traits: Map<string, TraitSpec>;
  visible: TraitInfo[];
  /** Referenced audiences first. */
  audiences: AudienceInfo[];
  hasAccounts: boolean;
  /** The value of a trait with no state (no matching event yet). */
  defaults(traitId: string): unknown;
}

/** The engine's form of a computed trait definition. */
export function traitSpecOf(id: string, def: ComputedTraitDefinition): TraitSpec {
  return {
    kind: 'aggregate',
    id,
    aggregation: def.aggregation,
    event: def.event,
    property: def.property,
    where: def.where,
    windowMs: def.window ? durationMs(def.window) : undefined,
  };
}

/** Builds the model from definition rows; throws a 400 for unknown references and cycles. */
export function buildModel(
  traitRows: { id: string; key: string; name: string; status: string; definition: string }[],
  audienceRows: {
    id: string;
    key: string;
    name: string;
    mode: string;
    status: string;
    definition: string;
  }[],
): AudienceModel {
  const visible: TraitInfo[] = traitRows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    status: r.status,
    spec: traitSpecOf(r.id, JSON.parse(r.definition) as ComputedTraitDefinition),
  }));
  const traitIds = new Map(visible.map((t) => [t.key, t.id]));
  const audienceIds = new Map(audienceRows.map((a) => [a.key, a.id]));
  const compiled = audienceRows.map((row) => {
    const { compiled: tree, hidden } = compileCondition(JSON.parse(row.definition) as Condition, {
      audienceId: row.id,
      traitIds,
      audienceIds,
    });
    return {
      id: row.id,
      key: row.key,
      name: row.name,
      mode: row.mode === 'batch' ? ('batch' as const) : ('realtime' as const),
      status: row.status,
      compiled: tree,
      hidden,
      accounts: usesAccounts(tree),
      deps: audienceDependencies(tree),
    };
  });
  const audiences = orderByDependencies(compiled);
  const traits = new Map<string, TraitSpec>();
  for (const t of visible) traits.set(t.id, t.spec);
  for (const a of audiences) for (const h of a.hidden) traits.set(h.id, h);
  const defaultCache = new Map<string, unknown>();
  return {
    traits,
    visible,
    audiences,
    hasAccounts: audiences.some((a) => a.accounts),
    defaults(traitId) {
      if (defaultCache.has(traitId)) return defaultCache.get(traitId);
      const spec = traits.get(traitId);
      const value = spec ? traitValue(spec, emptyState(spec)) : null;
      defaultCache.set(traitId, value);
      return value;
    },
  };
}

/** Reads every definition and builds the model. */
export async function loadModel(db: Db): Promise<AudienceModel> {
  const [traitRows, audienceRows] = await Promise.all([
    db
      .selectFrom('audience_traits')
      .select(['id', 'key', 'name', 'status', 'definition'])
      .execute(),
    db
      .selectFrom('audience_definitions')
      .select(['id', 'key', 'name', 'mode', 'status', 'definition'])
      .orderBy('id')
      .execute(),
  ]);
  return buildModel(traitRows, audienceRows);
}
