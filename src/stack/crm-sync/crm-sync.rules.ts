import { listAudiences } from '../../cdp/audiences/index.js';
import { getOwner, getTeam, lifecycleStages } from '../../crm/index.js';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import * as repo from './crm-sync.repository.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;

export type LifecycleStage = (typeof lifecycleStages)[number];

/** Entering `audienceKey` makes the person a CRM contact at `lifecycleStage`, with an owner. */
export interface SyncRule {
  audienceKey: string;
  lifecycleStage: LifecycleStage;
  /** Owners rotate over this team's members... */
  ownerTeamId?: string | undefined;
  /** ...or over these users (a team wins when both are given). */
  ownerUserIds?: string[] | undefined;
}

const rulesKey = 'rules';

export async function readRules(deps: Pick<Deps, 'db'>): Promise<SyncRule[]> {
  const raw = await repo.readState(deps.db, rulesKey);
  return raw ? (JSON.parse(raw) as SyncRule[]) : [];
}

/**
 * Replaces the lifecycle rules after checking each one names a known audience, a lifecycle
 * stage, and known owners; every problem is reported with its field.
 */
export async function writeRules(
  deps: SyncDeps,
  rules: (Omit<SyncRule, 'lifecycleStage'> & { lifecycleStage: string })[],
): Promise<SyncRule[]> {
  const errors: { field: string; message: string }[] = [];
  const audiences = new Set((await listAudiences(deps)).map((a) => a.key));
  const seen = new Set<string>();
  for (const [i, rule] of rules.entries()) {
    if (!audiences.has(rule.audienceKey))
      errors.push({ field: `rules[${i}].audienceKey`, message: 'no audience has this key' });
    if (seen.has(rule.audienceKey))
      errors.push({ field: `rules[${i}].audienceKey`, message: 'one rule per audience' });
    seen.add(rule.audienceKey);
    if (!(lifecycleStages as readonly string[]).includes(rule.lifecycleStage))
      errors.push({
        field: `rules[${i}].lifecycleStage`,
        message: `one of ${lifecycleStages.join(', ')}`,
      });
    if (
      rule.ownerTeamId !== undefined &&
      !(await exists(() => getTeam(deps, rule.ownerTeamId ?? '')))
    )
      errors.push({ field: `rules[${i}].ownerTeamId`, message: 'no team has this id' });
    for (const [j, userId] of (rule.ownerUserIds ?? []).entries()) {
      if (!(await exists(() => getOwner(deps, userId))))
        errors.push({ field: `rules[${i}].ownerUserIds[${j}]`, message: 'no owner has this id' });
    }
  }
  if (errors.length > 0) throw new AppError('validation_failed', 'Invalid CRM sync rules', errors);
  const clean = rules.map((r) => ({
    audienceKey: r.audienceKey,
    lifecycleStage: r.lifecycleStage as LifecycleStage,
    ...(r.ownerTeamId !== undefined ? { ownerTeamId: r.ownerTeamId } : {}),
    ...(r.ownerUserIds?.length ? { ownerUserIds: [...r.ownerUserIds] } : {}),
  }));
  await repo.writeState(deps.db, rulesKey, JSON.stringify(clean), iso(deps.clock.now()));
  return clean;
}

async function exists(find: () => Promise<unknown>): Promise<boolean> {
  try {
    await find();
    return true;
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'bad_request'))
      return false;
    throw error;
  }
}
