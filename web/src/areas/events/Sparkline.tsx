import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis } from 'recharts';
import type { StoredEvent } from '../../api/types';

interface Bucket {
  minute: number;
  label: string;
  count: number;
}

/** Events per minute of receipt, over the span of the rows shown (15 to 120 minutes). */
export function perMinute(events: readonly Pick<StoredEvent, 'receivedAt'>[]): Bucket[] {
  const minutes = events
    .map((event) => Math.floor(new Date(event.receivedAt).getTime() / 60_000))
    .filter((minute) => Number.isFinite(minute));
  if (minutes.length === 0) return [];
  const last = Math.max(...minutes);
  // At least 15 minutes wide, so a quiet page still shows a line and its flat stretches.
  const first = Math.min(Math.max(Math.min(...minutes), last - 119), last - 14);
  const counts = new Map<number, number>();
  for (const minute of minutes) counts.set(minute, (counts.get(minute) ?? 0) + 1);
  const format = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const buckets: Bucket[] = [];
  for (let minute = first; minute <= last; minute++) {
    buckets.push({
      minute,
      label: format.format(new Date(minute * 60_000)),
      count: counts.get(minute) ?? 0,
    });
  }
  return buckets;
}

export function Sparkline({ events }: { events: readonly StoredEvent[] }) {
  const data = perMinute(events);
  const total = data.reduce((sum, bucket) => sum + bucket.count, 0);
  const peak = data.reduce((max, bucket) => Math.max(max, bucket.count), 0);
  const summary = `${total} event${total === 1 ? '' : 's'} on this page over ${data.length} minute${data.length === 1 ? '' : 's'}, at most ${peak} in one minute`;
  return (
    <figure className="card spark" aria-label="Events per minute on this page">
      <figcaption className="muted">{summary}</figcaption>
      {/* The chart repeats the caption for sighted readers; screen readers get the caption. */}
      <div aria-hidden="true" className="spark-chart">
        <ResponsiveContainer width="100%" height={64}>
          <AreaChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: 4 }}>
            <XAxis dataKey="label" hide />
            <Tooltip
              cursor={false}
              contentStyle={{
                background: 'var(--surface)',
                border: '1px solid var(--border)',
                color: 'var(--text)',
              }}
              formatter={(value) => [String(value), 'events']}
            />
            <Area
              type="monotone"
              dataKey="count"
              className="spark-area"
              isAnimationActive={false}
              dot={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
