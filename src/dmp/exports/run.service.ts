import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { iso } from '../../kernel/clock.js';
import { conflict, notFound } from '../../kernel/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../kernel/pagination.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { requireDestination } from './destination.service.js';
import * as repo from './export.repository.js';
import type { DmpExportRunRow } from './export.tables.js';
import { writeRunLines } from './members.js';
import { outcomeOf, planMapping, type SegmentOutcome } from './plan.js';

type Deps = Pick<DmpDeps, 'db' | 'clock' | 'dmp'>;

/** Only the newest runs of a destination keep their lines (files); older ones keep a summary. */
export const KEPT_RUN_FILES = 5;
const FILE_PAGE = 5_000;

export function toRun(row: DmpExportRunRow) {
  return {
    id: row.id,
    destinationId: row.destination_id,
    mode: row.mode,
    lines: row.lines,
    fileAvailable: row.pruned === 0,
    createdAt: row.created_at,
    segments: JSON.parse(row.summary) as SegmentOutcome[],
  };
}
export type ExportRun = ReturnType<typeof toRun>;

/**
 * Runs a batch export of every mapping of a destination. The lines are written and the
 * destination's state moved in one transaction: a crash leaves either the whole run or none,
 * and the next delta is computed against exactly what the files delivered.
 */
export async function runBatchExport(
  deps: Deps,
  destinationId: string,
  mode: 'full' | 'delta',
): Promise<ExportRun> {
  const now = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const destination = await requireDestination(trx, destinationId);
    if (destination.kind !== 'batch')
      throw conflict(
        `destination ${destinationId} is a push destination; it is pushed, not exported`,
      );
    if (destination.enabled !== 1) throw conflict(`destination ${destinationId} is disabled`);
    const seq = await repo.lockDestination(trx, destinationId);
    const minSize = Math.max(destination.min_segment_size, deps.dmp.config.minSegmentSize);
    const run: DmpExportRunRow = {
      id: `dxr_${now.getTime().toString(36)}${randomBytes(6).toString('hex')}`,
      destination_id: destinationId,
      seq,
      mode,
      summary: '[]',
      lines: 0,
      pruned: 0,
      created_at: iso(now),
    };
    await repo.insertRun(trx, run);
    const outcomes: SegmentOutcome[] = [];
    for (const mapping of await repo.mappingsOf(trx, destinationId)) {
      const plan = await planMapping(trx, destination, mapping, minSize, now);
      if (plan.action === 'deliver' || plan.action === 'retract') {
        const lines = await writeRunLines(trx, plan.target, {
          id: run.id,
          key: mapping.segment_key,
          mode: plan.action === 'retract' ? 'retract' : mode,
        });
        outcomes.push(outcomeOf(plan, lines, plan.action === 'retract' ? 'retracted' : 'exported'));
      } else {
        outcomes.push(outcomeOf(plan, { added: 0, removed: 0 }, plan.action));
      }
      if (plan.mapping.status === 'retired' && plan.action !== 'deliver')
        await repo.deleteMapping(trx, mapping.id);
    }
    run.summary = JSON.stringify(outcomes);
    run.lines = outcomes.reduce((n, o) => n + o.added + o.removed, 0);
    await repo.updateRun(trx, run.id, { summary: run.summary, lines: run.lines });
    await repo.pruneRunLines(trx, destinationId, KEPT_RUN_FILES);
    return run;
  });
  return toRun(row);
}

export async function getRun(deps: Pick<Deps, 'db'>, destinationId: string, runId: string) {
  await requireDestination(deps.db, destinationId);
  const row = await repo.findRun(deps.db, destinationId, runId);
  if (!row) throw notFound(`export run ${runId}`);
  return toRun(row);
}

export async function listRuns(
  deps: Pick<Deps, 'db'>,
  destinationId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<Page<ExportRun>> {
  await requireDestination(deps.db, destinationId);
  const limit = query.limit ?? 50;
  const before = query.cursor ? Number(decodeCursor(query.cursor, ['seq'] as const).seq) : NaN;
  const rows = await repo.listRuns(deps.db, destinationId, {
    limit,
    ...(Number.isNaN(before) ? {} : { before }),
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toRun),
    next: rows.length > limit && last ? encodeCursor({ seq: String(last.seq) }) : null,
  };
}

/** RFC 4180 quoting, only where needed (IDs and keys rarely need it). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The file of a run: `id_type,id,segment,action`, read page by page from the store as the
 * response is written, so a file of millions of lines never sits in memory.
 */
export async function runFile(
  deps: Pick<Deps, 'db'>,
  destinationId: string,
  runId: string,
): Promise<{ filename: string; stream: Readable }> {
  const destination = await requireDestination(deps.db, destinationId);
  const run = await repo.findRun(deps.db, destinationId, runId);
  if (!run) throw notFound(`export run ${runId}`);
  if (run.pruned === 1)
    throw notFound(
      `the file of export run ${runId} (only the newest ${KEPT_RUN_FILES} runs keep their file)`,
    );
  const idType = destination.id_type;
  async function* lines() {
    yield 'id_type,id,segment,action\n';
    let after = 0;
    for (;;) {
      const page = await repo.runLines(deps.db, runId, after, FILE_PAGE);
      if (page.length === 0) return;
      let chunk = '';
      for (const line of page) {
        chunk += `${idType},${csvField(line.id)},${csvField(line.segment_key)},${line.action}\n`;
      }
      yield chunk;
      after = Number(page.at(-1)?.seq ?? after);
      if (page.length < FILE_PAGE) return;
    }
  }
  return { filename: `${runId}.csv`, stream: Readable.from(lines()) };
}
