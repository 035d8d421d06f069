import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { LogConsumer } from '../../log/consumer.js';
import { loggedRecordFromRow } from '../../log/table-log.js';

export interface ReplayRequest {
  sourceId?: string | undefined;
  /** Inclusive lower bound on receivedAt (ISO). */
  from: string;
  /** Exclusive upper bound on receivedAt (ISO). */
  to: string;
}

export interface ReplayOutcome {
  replayed: number;
  consumers: string[];
}

const batchSize = 500;

/**
 * Re-feeds stored events to every log consumer, in log order, without moving their offsets.
 * Consumers are idempotent, so replaying a range twice — or one they already processed —
 * changes nothing; after a consumer bug is fixed, a replay fills in what it missed.
 */
export async function replayEvents(
  deps: Pick<Deps, 'db'>,
  consumers: LogConsumer[],
  request: ReplayRequest,
): Promise<ReplayOutcome> {
  if (!(request.from < request.to)) {
    throw new AppError('validation_failed', '"from" must be earlier than "to"', [
      { field: 'from', message: 'not before to' },
    ]);
  }
  let after = 0;
  let replayed = 0;
  for (;;) {
    let query = deps.db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', after)
      .where('received_at', '>=', request.from)
      .where('received_at', '<', request.to)
      .orderBy('seq')
      .limit(batchSize);
    if (request.sourceId) query = query.where('source_id', '=', request.sourceId);
    const rows = await query.execute();
    if (rows.length === 0) break;
    const records = rows.map(loggedRecordFromRow);
    for (const consumer of consumers) await consumer.replay(records);
    replayed += records.length;
    after = (rows.at(-1) as { seq: number }).seq;
    if (rows.length < batchSize) break;
  }
  return { replayed, consumers: consumers.map((c) => c.name) };
}
