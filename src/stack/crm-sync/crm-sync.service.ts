import type { Deps } from '../../kernel/deps.js';
import { syncCdpToCrm } from './cdp-to-crm.js';
import * as repo from './crm-sync.repository.js';
import { readRules, type SyncRule, writeRules } from './crm-sync.rules.js';
import { syncCrmToCdp } from './crm-to-cdp.js';

type SyncDeps = Pick<Deps, 'db' | 'clock'>;

export interface CrmSyncStatus {
  rules: SyncRule[];
  /** The last CRM change id turned into events, and the last audience membership id handled. */
  offsets: { crmChanges: number; audienceMemberships: number };
  /** The latest outcomes, newest first: contacts created or updated, refusals, skips. */
  recent: { direction: string; ref: string; outcome: string; detail: string; at: string }[];
}

export async function crmSyncStatus(deps: Pick<Deps, 'db'>): Promise<CrmSyncStatus> {
  const [rules, changes, memberships, recent] = await Promise.all([
    readRules(deps),
    repo.readState(deps.db, 'changes_offset'),
    repo.readState(deps.db, 'membership_offset'),
    repo.recentOutcomes(deps.db, 50),
  ]);
  return {
    rules,
    offsets: { crmChanges: Number(changes ?? 0), audienceMemberships: Number(memberships ?? 0) },
    recent: recent.map((r) => ({
      direction: r.direction,
      ref: r.ref,
      outcome: r.outcome,
      detail: r.detail,
      at: r.at,
    })),
  };
}

export async function configureCrmSync(deps: SyncDeps, rules: Parameters<typeof writeRules>[1]) {
  await writeRules(deps, rules);
  return crmSyncStatus(deps);
}

/** Both directions once, now (what the worker's periodic job does every few seconds). */
export async function runCrmSync(deps: SyncDeps) {
  const events = await syncCrmToCdp(deps);
  const memberships = await syncCdpToCrm(deps);
  return { eventsAppended: events, membershipsHandled: memberships };
}
