import type { CSSProperties } from 'react';
import { number, type Reach, type SegmentCount, useOverlaps } from './dmp.api';

/**
 * Pairwise overlaps of the selected segments as a heat map: each cell is the estimated number
 * of IDs in both, shaded by its share of the smaller segment. Suppressed figures (too small to
 * show) stay blank.
 */
export function OverlapHeatmap({
  segments,
  reach,
}: {
  segments: SegmentCount[];
  reach: Map<string, Reach | undefined>;
}) {
  const ids = segments.map((s) => s.segmentId);
  const overlaps = useOverlaps(ids);
  const cell = (a: string, b: string) => {
    if (a === b) {
      const r = reach.get(a)?.reach;
      return { value: r?.estimate, share: r ? 1 : undefined, suppressed: !r, pending: false };
    }
    const found = overlaps.find(
      ({ pair }) => (pair[0] === a && pair[1] === b) || (pair[0] === b && pair[1] === a),
    );
    const o = found?.result?.data;
    const sizes = [reach.get(a)?.reach?.estimate, reach.get(b)?.reach?.estimate].filter(
      (n): n is number => n !== undefined && n > 0,
    );
    const smaller = sizes.length === 2 ? Math.min(...sizes) : undefined;
    const value = o?.overlap?.estimate;
    return {
      value,
      share: value !== undefined && smaller ? Math.min(1, value / smaller) : undefined,
      suppressed: o?.suppressed ?? false,
      pending: found?.result?.isPending ?? true,
    };
  };
  return (
    <div className="table-wrap">
      <table className="heatmap" data-testid="overlap-heatmap">
        <caption>Overlap between the selected segments (estimated IDs in both)</caption>
        <thead>
          <tr>
            <td />
            {segments.map((s) => (
              <th key={s.segmentId} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {segments.map((row) => (
            <tr key={row.segmentId}>
              <th scope="row">{row.name}</th>
              {segments.map((col) => {
                const c = cell(row.segmentId, col.segmentId);
                return (
                  <td
                    key={col.segmentId}
                    className="heat"
                    style={{ '--heat': c.share ?? 0 } as CSSProperties}
                    title={
                      c.share !== undefined
                        ? `${Math.round(c.share * 100)}% of the smaller segment`
                        : undefined
                    }
                  >
                    {c.value !== undefined
                      ? number.format(c.value)
                      : c.suppressed
                        ? 'too small'
                        : c.pending
                          ? '…'
                          : '—'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
