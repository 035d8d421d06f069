import { AppError } from '../../kernel/errors.js';
import type { TraitSpec } from './aggregates.js';
import type { Condition, CountRule, Filter } from './definition.js';
import { durationMs } from './definition.js';
import { matchesFilter, readPath } from './filters.js';

/**
 * Audiences are evaluated from facts that are already maintained incrementally: profile
 * traits, computed trait values and memberships. Event conditions (`performed ... at least N
 * times within 30 days`) and funnels compile to hidden computed traits, so evaluating an
 * audience never scans events; it is a small tree walk over a few values per profile.
 */
export type Compiled =
  | { t: 'and' | 'or'; cs: Compiled[] }
  | { t: 'not'; c: Compiled }
  | { t: 'trait'; filter: Filter }
  | { t: 'value'; traitId: string; filter: Filter }
  | { t: 'count'; traitId: string; count: CountRule }
  | { t: 'funnel'; traitId: string }
  | { t: 'audience'; audienceId: string }
  | { t: 'account'; q: 'any' | 'all' | 'none'; c: Compiled };

export interface CompileContext {
  audienceId: string;
  /** Visible computed trait key -> trait id. */
  traitIds: Map<string, string>;
  /** Audience key -> audience id. */
  audienceIds: Map<string, string>;
}

/** The hidden trait id of the n-th event condition of an audience (stable for a definition). */
export const hiddenTraitId = (audienceId: string, n: number) => `${audienceId}.${n}`;

/**
 * Compiles a validated condition. Unknown computed traits or audiences are a 400; the hidden
 * trait specs the condition needs are returned beside the tree.
 */
export function compileCondition(
  cond: Condition,
  ctx: CompileContext,
): { compiled: Compiled; hidden: TraitSpec[] } {
  const hidden: TraitSpec[] = [];
  const walk = (c: Condition): Compiled => {
    switch (c.type) {
      case 'and':
      case 'or':
        return { t: c.type, cs: c.conditions.map(walk) };
      case 'not':
        return { t: 'not', c: walk(c.condition) };
      case 'account':
        return { t: 'account', q: c.quantifier, c: walk(c.condition) };
      case 'trait':
        return { t: 'trait', filter: c.filter };
      case 'computed': {
        const traitId = ctx.traitIds.get(c.filter.path);
        if (!traitId)
          throw new AppError('bad_request', `unknown computed trait "${c.filter.path}"`, [
            { field: '/definition', message: `no computed trait has the key "${c.filter.path}"` },
          ]);
        return { t: 'value', traitId, filter: { ...c.filter, path: '' } };
      }
      case 'audience': {
        const audienceId = ctx.audienceIds.get(c.audience);
        if (!audienceId)
          throw new AppError('bad_request', `unknown audience "${c.audience}"`, [
            { field: '/definition', message: `no audience has the key "${c.audience}"` },
          ]);
        return { t: 'audience', audienceId };
      }
      case 'event': {
        const id = hiddenTraitId(ctx.audienceId, hidden.length);
        const w = c.window;
        hidden.push({
          kind: 'aggregate',
          id,
          aggregation: 'count',
          event: c.event,
          where: c.where,
          windowMs: w?.kind === 'within' ? durationMs(w.duration) : undefined,
          range:
            w?.kind === 'between' ? { from: Date.parse(w.from), to: Date.parse(w.to) } : undefined,
        });
        return { t: 'count', traitId: id, count: c.count ?? { op: 'gte', value: 1 } };
      }
      case 'funnel': {
        const id = hiddenTraitId(ctx.audienceId, hidden.length);
        hidden.push({
          kind: 'funnel',
          id,
          first: c.first,
          second: c.second,
          withinMs: durationMs(c.within),
        });
        return { t: 'funnel', traitId: id };
      }
    }
  };
  return { compiled: walk(cond), hidden };
}

/** What an audience sees of one profile. */
export interface ProfileFacts {
  traits: Record<string, unknown>;
  /** Trait id -> current value; a missing id means "no matching event yet". */
  values: Map<string, unknown>;
  /** Audience ids the profile belongs to (updated during an evaluation pass). */
  members: Set<string>;
  /** Facts of every user in each of the profile's groups (accounts), for account conditions. */
  accounts: ProfileFacts[][];
}

/**
 * Evaluates a compiled condition. `defaults` gives the value of a trait without state (0 for
 * counters, false for funnels, null or [] for the rest).
 */
export function evaluate(
  c: Compiled,
  facts: ProfileFacts,
  defaults: (traitId: string) => unknown,
): boolean {
  const current = (id: string) => (facts.values.has(id) ? facts.values.get(id) : defaults(id));
  switch (c.t) {
    case 'and':
      return c.cs.every((x) => evaluate(x, facts, defaults));
    case 'or':
      return c.cs.some((x) => evaluate(x, facts, defaults));
    case 'not':
      return !evaluate(c.c, facts, defaults);
    case 'trait':
      return matchesFilter(readPath(facts.traits, c.filter.path), c.filter);
    case 'value':
      return matchesFilter(current(c.traitId), c.filter);
    case 'count': {
      const n = Number(current(c.traitId) ?? 0);
      return c.count.op === 'gte'
        ? n >= c.count.value
        : c.count.op === 'lte'
          ? n <= c.count.value
          : n === c.count.value;
    }
    case 'funnel':
      return current(c.traitId) === true;
    case 'audience':
      return facts.members.has(c.audienceId);
    case 'account': {
      // A profile outside any account satisfies no account condition; with several accounts,
      // one satisfying account is enough.
      if (facts.accounts.length === 0) return false;
      return facts.accounts.some((users) => {
        const hits = users.filter((u) => evaluate(c.c, u, defaults)).length;
        if (c.q === 'any') return hits > 0;
        if (c.q === 'all') return users.length > 0 && hits === users.length;
        return hits === 0;
      });
    }
  }
}

/** Whether a compiled tree has account conditions (they widen what an event affects). */
export function usesAccounts(c: Compiled): boolean {
  if (c.t === 'account') return true;
  if (c.t === 'and' || c.t === 'or') return c.cs.some(usesAccounts);
  if (c.t === 'not') return usesAccounts(c.c);
  return false;
}

/** Ids of the audiences a compiled tree reads memberships of. */
export function audienceDependencies(c: Compiled): string[] {
  if (c.t === 'audience') return [c.audienceId];
  if (c.t === 'and' || c.t === 'or') return c.cs.flatMap(audienceDependencies);
  if (c.t === 'not' || c.t === 'account') return audienceDependencies(c.c);
  return [];
}

/**
 * Orders audiences so every audience comes after those it references; throws a 400 naming
 * the cycle when there is one (an audience that, through others, contains itself).
 */
export function orderByDependencies<T extends { id: string; key: string; deps: string[] }>(
  audiences: T[],
): T[] {
  const byId = new Map(audiences.map((a) => [a.id, a]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: T[] = [];
  const visit = (a: T, path: string[]) => {
    const s = state.get(a.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(a.key)), a.key].join(' -> ');
      throw new AppError('bad_request', `cyclic audience reference: ${cycle}`, [
        { field: '/definition', message: `audiences may not refer to themselves: ${cycle}` },
      ]);
    }
    state.set(a.id, 'visiting');
    for (const dep of a.deps) {
      const next = byId.get(dep);
      if (next) visit(next, [...path, a.key]);
    }
    state.set(a.id, 'done');
    out.push(a);
  };
  for (const a of audiences) visit(a, []);
  return out;
}
