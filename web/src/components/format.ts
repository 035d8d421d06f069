const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A timestamp in the reader's locale and time zone; the ISO value stays in the title. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** "3.2 s later" — the gap between two instants, for the receivedAt / timestamp comparison. */
export function formatGap(fromIso: string, toIso: string): string {
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  const text =
    abs < 1000
      ? `${abs} ms`
      : abs < 120_000
        ? `${(abs / 1000).toFixed(1)} s`
        : abs < 7_200_000
          ? `${Math.round(abs / 60_000)} min`
          : `${(abs / 3_600_000).toFixed(1)} h`;
  return ms === 0 ? 'same instant' : `${text} ${ms > 0 ? 'later' : 'earlier'}`;
}
