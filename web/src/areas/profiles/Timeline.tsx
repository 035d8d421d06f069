import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { JsonView } from '../../components/JsonView';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { useTimeline } from './profiles.api';

/** The profile's events, newest first, a page at a time; each opens to its payload. */
export function Timeline({ profileKey }: { profileKey: string }) {
  const paging = useCursorStack(profileKey);
  const events = useTimeline(profileKey, paging.cursor);
  const rows = events.data?.data ?? [];
  return (
    <section className="card stack" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Event timeline</h2>
      <ErrorNote error={events.error} />
      {events.data && rows.length === 0 ? <p className="muted">No events.</p> : null}
      <ol className="timeline" aria-label="Events, newest first">
        {rows.map((event) => (
          <li key={event.seq}>
            <details>
              <summary>
                <span className="badge">{event.type}</span>{' '}
                <strong>{event.event ?? event.type}</strong>{' '}
                <time dateTime={event.timestamp} className="muted">
                  {formatTime(event.timestamp)}
                </time>
              </summary>
              <JsonView value={event.payload} label={`Payload of event ${event.messageId}`} />
            </details>
          </li>
        ))}
      </ol>
      <Pager
        label="Timeline pages"
        page={paging.page}
        hasNext={Boolean(events.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = events.data?.next;
          if (next) paging.next(next);
        }}
      />
    </section>
  );
}
