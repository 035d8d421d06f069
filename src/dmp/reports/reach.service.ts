import type { Deps } from '../../kernel/deps.js';
import { notFound } from '../../kernel/errors.js';
import type { DmpDeps } from '../collect/collect.service.js';
import { countMembers, memberPage } from '../qualify/qualification.repository.js';
import { HyperLogLog } from '../reach/hyperloglog.js';
import { estimateIntersection } from '../reach/intersection.js';
import { allSegments, findSegment } from '../segments/segment.repository.js';

/**
 * Reach figures. Every figure about a segment smaller than `minSegmentSize` is suppressed
 * (null with `suppressed: true`): small counts could single people out, and a suppressed answer
 * looks the same whether the segment has 0 or `minSegmentSize - 1` members.
 */

export interface ReachFigure {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  exact: boolean;
}

export interface SegmentReach {
  segmentId: string;
  suppressed: boolean;
  reach: ReachFigure | null;
}

/** Streams a segment's members into a HyperLogLog sketch (p = 14). */
async function sketchOf(db: Deps['db'], segmentId: string): Promise<HyperLogLog> {
  const sketch = new HyperLogLog();
  let after: string | undefined;
  for (;;) {
    const page = await memberPage(db, segmentId, after, 5_000);
    for (const id of page) sketch.add(id);
    if (page.length < 5_000) return sketch;
    after = page.at(-1);
  }
}

async function requireSegment(db: Deps['db'], id: string): Promise<void> {
  if (!(await findSegment(db, id))) throw notFound(`segment ${id}`);
}

export async function segmentReach(
  deps: DmpDeps,
  segmentId: string,
  confidence = 0.95,
): Promise<SegmentReach> {
  await requireSegment(deps.db, segmentId);
  const count = await countMembers(deps.db, segmentId);
  if (count < deps.dmp.config.minSegmentSize) return { segmentId, suppressed: true, reach: null };
  const reach = (await sketchOf(deps.db, segmentId)).estimateWithInterval(confidence);
  return { segmentId, suppressed: false, reach };
}

export interface OverlapReport {
  segmentIds: [string, string];
  suppressed: boolean;
  overlap: (ReachFigure & { relativeError: number }) | null;
}

/** The estimated overlap of two segments, suppressed when any of the three sets is too small. */
export async function segmentOverlap(
  deps: DmpDeps,
  a: string,
  b: string,
  confidence = 0.95,
): Promise<OverlapReport> {
  await requireSegment(deps.db, a);
  await requireSegment(deps.db, b);
  const min = deps.dmp.config.minSegmentSize;
  const suppressed: OverlapReport = { segmentIds: [a, b], suppressed: true, overlap: null };
  if ((await countMembers(deps.db, a)) < min || (await countMembers(deps.db, b)) < min) {
    return suppressed;
  }
  const result = estimateIntersection(
    await sketchOf(deps.db, a),
    await sketchOf(deps.db, b),
    confidence,
  );
  if (result.estimate < min) return suppressed;
  return {
    segmentIds: [a, b],
    suppressed: false,
    overlap: {
      estimate: result.estimate,
      low: result.low,
      high: result.high,
      confidence: result.confidence,
      exact: result.method === 'exact',
      relativeError: result.relativeError,
    },
  };
}

export interface SegmentCount {
  segmentId: string;
  name: string;
  suppressed: boolean;
  /** Exact current member count; null when suppressed. */
  count: number | null;
}

/** Member counts of every segment (the size report), small ones suppressed. */
export async function segmentCounts(deps: DmpDeps): Promise<SegmentCount[]> {
  const min = deps.dmp.config.minSegmentSize;
  const out: SegmentCount[] = [];
  for (const segment of await allSegments(deps.db)) {
    const count = await countMembers(deps.db, segment.id);
    const suppressed = count < min;
    out.push({
      segmentId: segment.id,
      name: segment.name,
      suppressed,
      count: suppressed ? null : count,
    });
  }
  return out;
}
