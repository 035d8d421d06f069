import { iso } from '../../kernel/clock.js';
import { AppError, conflict, notFound } from '../../kernel/errors.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { assertNoPiiText, piiReason } from '../collect/firewall.js';
import type { DmpTraitRow } from '../dmp.tables.js';
import { newRecordId } from '../ids/dmp-id.js';
import { compileSegment } from '../qualify/catalog.js';
import { referencedTraits } from '../segments/expression.js';
import { allSegments } from '../segments/segment.repository.js';
import * as repo from './trait.repository.js';
import { type TraitRule, validateTraitRule } from './trait-rule.js';

/** A trait as the API shows it. */
export interface Trait {
  id: string;
  name: string;
  description: string;
  kind: 'rule' | 'onboarded';
  rule: TraitRule | null;
  ttlDays: number;
  createdAt: string;
  updatedAt: string;
}

export interface TraitInput {
  name: string;
  description?: string | undefined;
  kind?: 'rule' | 'onboarded' | undefined;
  rule?: TraitRule | undefined;
  ttlDays?: number | undefined;
}

export function toTrait(row: DmpTraitRow): Trait {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    rule: row.rule === null ? null : (JSON.parse(row.rule) as TraitRule),
    ttlDays: row.ttl_days,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Shape, limits and the PII firewall over the rule's own keys and values. */
function checkRule(kind: 'rule' | 'onboarded', rule: TraitRule | undefined, ttlDays: number) {
  if (kind === 'onboarded') {
    if (rule !== undefined) {
      throw new AppError('validation_failed', 'onboarded traits have no rule', [
        { field: 'rule', message: 'must be absent for kind "onboarded"' },
      ]);
    }
    return null;
  }
  if (rule === undefined) {
    throw new AppError('validation_failed', 'a rule trait needs a rule', [
      { field: 'rule', message: 'required' },
    ]);
  }
  const issues = validateTraitRule(rule, ttlDays);
  rule.conditions.forEach((condition, i) => {
    const values = Array.isArray(condition.value) ? condition.value : [condition.value ?? ''];
    for (const value of values) {
      const reason = piiReason(condition.key, value);
      if (reason) issues.push({ field: `rule.conditions[${i}]`, message: reason });
    }
  });
  if (issues.length > 0)
    throw new AppError('validation_failed', 'The trait rule is invalid', issues);
  return rule;
}

export async function createTrait(deps: DmpDeps, input: TraitInput): Promise<Trait> {
  const kind = input.kind ?? 'rule';
  const ttlDays = input.ttlDays ?? deps.dmp.config.traitTtlDays;
  const rule = checkRule(kind, input.rule, ttlDays);
  assertNoPiiText(input.name, 'name');
  assertNoPiiText(input.description ?? '', 'description');
  const now = deps.clock.now();
  const row: DmpTraitRow = {
    id: newRecordId('trt', now.getTime()),
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    kind,
    rule: rule === null ? null : JSON.stringify(rule),
    ttl_days: ttlDays,
    created_at: iso(now),
    updated_at: iso(now),
  };
  await repo.insertTrait(deps.db, row);
  deps.dmp.catalog.invalidate();
  return toTrait(row);
}

export async function getTrait(deps: Pick<DmpDeps, 'db'>, id: string): Promise<Trait> {
  const row = await repo.findTrait(deps.db, id);
  if (!row) throw notFound(`trait ${id}`);
  return toTrait(row);
}

export async function listTraits(
  deps: Pick<DmpDeps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<Trait>> {
  const rows = await repo.listTraits(deps.db, opts);
  return toPage(rows, opts.limit, toTrait, (row) => ({ id: row.id }));
}

export async function updateTrait(
  deps: DmpDeps,
  id: string,
  changes: Omit<TraitInput, 'kind' | 'name'> & { name?: string | undefined },
): Promise<Trait> {
  const existing = await repo.findTrait(deps.db, id);
  if (!existing) throw notFound(`trait ${id}`);
  const ttlDays = changes.ttlDays ?? existing.ttl_days;
  const current = toTrait(existing);
  const rule = checkRule(existing.kind, changes.rule ?? current.rule ?? undefined, ttlDays);
  if (changes.name !== undefined) assertNoPiiText(changes.name, 'name');
  if (changes.description !== undefined) assertNoPiiText(changes.description, 'description');
  const update = {
    name: changes.name?.trim() ?? existing.name,
    description: changes.description?.trim() ?? existing.description,
    rule: rule === null ? null : JSON.stringify(rule),
    ttl_days: ttlDays,
    updated_at: iso(deps.clock.now()),
  };
  await repo.updateTrait(deps.db, id, update);
  deps.dmp.catalog.invalidate();
  return toTrait({ ...existing, ...update });
}

/** Deletes a trait no segment uses (409 names the segments that still do). */
export async function deleteTrait(deps: DmpDeps, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findTrait(trx, id))) throw notFound(`trait ${id}`);
    const users = (await allSegments(trx)).filter((row) =>
      referencedTraits(compileSegment(row).expr).has(id),
    );
    if (users.length > 0) {
      throw conflict(`trait ${id} is used by segment(s) ${users.map((s) => s.id).join(', ')}`);
    }
    await repo.deleteTrait(trx, id);
  });
  deps.dmp.catalog.invalidate();
}
