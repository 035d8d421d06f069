import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { Logger } from '../../kernel/logger.js';
import type { LogConsumer } from '../../log/consumer.js';
import type { LoggedRecord } from '../../log/event-log.js';
import { loggedRecordFromRow, writeOffset } from '../../log/table-log.js';
import type { DB } from '../../storage/schema.js';
import {
  type DeliveryOptions,
  type DeliveryWorker,
  isClosed,
  startDeliveryWorker,
} from '../destinations/delivery.worker.js';
import { enabledDestinations } from '../destinations/destination.repository.js';
import { identityConsumerName, waitForIdentity } from '../identity/graph/identity.service.js';
import { enqueueActivations } from './activation.js';
import * as repo from './audience.repository.js';
import { type EngineEvent, toEngineEvent, updateProfiles } from './engine.js';
import { loadModel } from './model.js';

export interface AudienceDeps {
  db: Kysely<DB>;
  clock: Clock;
  log?: Logger | undefined;
}

export interface AudienceConsumerOptions {
  /** Start the window timer and the delivery worker with the consumer (default true). */
  background?: boolean;
  /** Longest the window timer sleeps before looking again (other processes, clock jumps). */
  maxTimerSleepMs?: number;
  /** How long a batch waits for the identity graph to place it before failing (and retrying). */
  identityWaitMs?: number;
  /**
   * Most events folded in one transaction (default 2000). Behind a backlog the consumer reads
   * past the batch it was handed, up to what identity has placed, so the fixed cost of a
   * transaction (lock, definitions, commit) is paid once for many events; records it already
   * applied that way are skipped when they are handed to it.
   */
  maxBatch?: number;
  delivery?: DeliveryOptions;
}

export interface AudienceConsumer extends LogConsumer {
  /** Expires due windows now (what the timer does when it wakes). */
  expireDue(): Promise<number>;
  delivery: DeliveryWorker | undefined;
  stop(): Promise<void>;
}

/**
 * Streaming evaluation as a log consumer. For each batch (after identity placed it), in one
 * transaction: find each event's profile, rebuild profiles that absorbed others by a merge,
 * fold the events into computed trait states, re-evaluate real-time audiences for the touched
 * profiles, record entries and exits, queue deliveries, and commit the offset. A window
 * timer wakes at the next expiry (`expires_at`) to apply decay without any event.
 */
export function audienceConsumer(
  deps: AudienceDeps,
  opts: AudienceConsumerOptions = {},
): AudienceConsumer {
  const background = opts.background ?? true;
  const maxSleep = opts.maxTimerSleepMs ?? 60_000;
  const delivery = background ? startDeliveryWorker(deps, opts.delivery) : undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let ticking: Promise<unknown> | undefined;
  const maxBatch = opts.maxBatch ?? 2000;
  // The highest position this consumer committed (a read-ahead may run past its batches).
  let applied = 0;

  const expireDue = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const now = deps.clock.now();
      const changed = await deps.db.transaction().execute(async (trx) => {
        const position = await repo.lockAudienceState(trx, deps.clock);
        const due = await repo.dueProfiles(trx, now.toISOString(), 200);
        if (due.length === 0) return -1;
        const model = await loadModel(trx);
        const { changes, facts } = await updateProfiles(trx, model, {
          now,
          events: new Map(due.map((id) => [id, []])),
          rebuild: new Set(),
          uptoSeq: position,
          reason: 'window',
        });
        await enqueueActivations(trx, {
          destinations: await enabledDestinations(trx),
          facts,
          events: [],
          changes,
          now,
        });
        return changes.length;
      });
      if (changed < 0) break;
      total += changed;
    }
    if (total > 0) delivery?.wake();
    return total;
  };

  const arm = async () => {
    if (stopped || !background) return;
    if (timer) clearTimeout(timer);
    let delay = maxSleep;
    try {
      const next = await repo.nextExpiry(deps.db);
      if (next)
        delay = Math.max(0, Math.min(maxSleep, Date.parse(next) - deps.clock.now().getTime()));
    } catch (error) {
      if (isClosed(error)) return;
    }
    if (stopped) return;
    timer = setTimeout(tick, delay);
    timer.unref();
  };

  const tick = async () => {
    if (stopped) return;
    try {
      ticking = expireDue();
      await ticking;
    } catch (error) {
      if (isClosed(error)) {
        stopped = true;
        return;
      }
      deps.log?.error({ err: error }, 'audience window timer failed');
    } finally {
      ticking = undefined;
    }
    await arm();
  };

  if (background) void arm();

  return {
    name: repo.audienceConsumerName,
    delivery,
    expireDue,
    async process(handed: LoggedRecord[]) {
      const handedLast = handed.at(-1);
      if (!handedLast || handedLast.seq <= applied) return;
      await waitForIdentity(deps.db, handedLast.seq, opts.identityWaitMs ?? 10_000);
      const now = deps.clock.now();
      const result = await deps.db.transaction().execute(async (trx) => {
        const position = Number(await repo.lockAudienceState(trx, deps.clock));
        // Records at or before the committed position were applied (by a read-ahead, or by a
        // batch delivered again after a crash): applying them twice would count them twice.
        const records = handed.filter((r) => r.seq > position);
        const from = Math.max(handedLast.seq, position);
        records.push(...(await readAheadRows(trx, from, maxBatch - records.length)));
        const last = records.at(-1);
        if (!last) return { queued: 0, last: position };
        const model = await loadModel(trx);
        const profileOf = await repo.profilesOfSeqs(
          trx,
          records.map((r) => r.seq),
        );
        const events = new Map<string, EngineEvent[]>();
        const placed: { profileId: string; event: EngineEvent }[] = [];
        for (const record of records) {
          const profileId = profileOf.get(record.seq);
          // Events the identity graph attached to no one (no identifier) belong to no audience.
          if (!profileId) continue;
          const event = toEngineEvent(record);
          const list = events.get(profileId);
          if (list) list.push(event);
          else events.set(profileId, [event]);
          placed.push({ profileId, event });
        }
        // A profile that absorbed others by a merge is rebuilt from its whole history: the
        // absorbed profiles' states cannot be combined exactly (windows, first/last, uniques).
        const absorbed = await repo.absorbedWithState(trx, [...events.keys()]);
        const rebuild = new Set(absorbed.map((a) => a.survivor));
        const merged = await retireAbsorbed(
          trx,
          absorbed.map((a) => a.id),
          now,
        );
        for (const id of rebuild) {
          // Rebuilt from history up to this batch's end: the batch's own events come from it.
          events.delete(id);
        }
        const { changes, facts } = await updateProfiles(trx, model, {
          now,
          events,
          rebuild,
          uptoSeq: last.seq,
          reason: 'event',
        });
        const queued = await enqueueActivations(trx, {
          destinations: await enabledDestinations(trx),
          facts,
          events: placed,
          changes: [...merged, ...changes],
          now,
        });
        await writeOffset(trx, deps.clock, repo.audienceConsumerName, last.seq);
        return { queued, last: last.seq };
      });
      applied = Math.max(applied, result.last);
      if (result.queued > 0) delivery?.wake();
      void arm();
    },
    /**
     * Replays are idempotent by rebuilding: the records' profiles are recomputed from their
     * whole history up to this consumer's position (records beyond it are still to come).
     */
    async replay(records: LoggedRecord[]) {
      if (records.length === 0) return;
      const now = deps.clock.now();
      await deps.db.transaction().execute(async (trx) => {
        const position = await repo.lockAudienceState(trx, deps.clock);
        const seqs = records.map((r) => r.seq).filter((seq) => seq <= position);
        if (seqs.length === 0) return;
        const model = await loadModel(trx);
        const profiles = new Set((await repo.profilesOfSeqs(trx, seqs)).values());
        const { changes, facts } = await updateProfiles(trx, model, {
          now,
          events: new Map(),
          rebuild: profiles,
          uptoSeq: position,
          reason: 'replay',
        });
        await enqueueActivations(trx, {
          destinations: await enabledDestinations(trx),
          facts,
          events: [],
          changes,
          now,
        });
      });
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking?.catch(() => undefined);
      await delivery?.stop();
    },
  };
}

/** Records after `afterSeq` that identity has placed already, up to the batch limit. */
async function readAheadRows(
  trx: repo.Db,
  afterSeq: number,
  limit: number,
): Promise<LoggedRecord[]> {
  if (limit <= 0) return [];
  const placedUpTo = await trx
    .selectFrom('log_offsets')
    .select('position')
    .where('consumer', '=', identityConsumerName)
    .executeTakeFirst();
  const upto = Number(placedUpTo?.position ?? 0);
  if (upto <= afterSeq) return [];
  const rows = await trx
    .selectFrom('events')
    .selectAll()
    .where('seq', '>', afterSeq)
    .where('seq', '<=', upto)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(loggedRecordFromRow);
}

/** Exits the memberships of merged-away profiles and drops their state. */
async function retireAbsorbed(trx: repo.Db, ids: string[], now: Date) {
  if (ids.length === 0) return [];
  const members = await repo.membershipsOf(trx, ids);
  const audiences = new Map(
    (await trx.selectFrom('audience_definitions').select(['id', 'key', 'name']).execute()).map(
      (a) => [a.id, a],
    ),
  );
  const at = now.toISOString();
  const logIds = await repo.recordChanges(
    trx,
    members.map((m) => ({
      audienceId: m.audience_id,
      profileId: m.profile_id,
      kind: 'exited' as const,
      at,
      seq: null,
      reason: 'merged',
    })),
  );
  const changes = members.map((m, i) => {
    const a = audiences.get(m.audience_id);
    return {
      logId: logIds[i] as number,
      audienceId: m.audience_id,
      audienceKey: a?.key ?? m.audience_id,
      audienceName: a?.name ?? m.audience_id,
      profileId: m.profile_id,
      kind: 'exited' as const,
      at,
      seq: null,
    };
  });
  await repo.dropProfiles(trx, ids);
  return changes;
}
