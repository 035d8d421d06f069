import type { StoredEvent } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { Dialog } from '../../components/Dialog';
import { formatGap, formatTime } from '../../components/format';
import { JsonView } from '../../components/JsonView';

interface Props {
  event: StoredEvent | undefined;
  sourceName: string;
  onClose: () => void;
}

/**
 * One event: its identifiers, the two clocks (when the server received it and when it happened
 * after correcting the client's clock skew) and the normalized payload as stored.
 */
export function EventDrawer({ event, sourceName, onClose }: Props) {
  return (
    <Dialog
      open={event !== undefined}
      title={event ? `${event.type}${event.event ? `: ${event.event}` : ''}` : 'Event'}
      onClose={onClose}
      variant="drawer"
    >
      {event ? (
        <div className="stack">
          <dl className="facts">
            <dt>Received at (server clock)</dt>
            <dd title={event.receivedAt}>{formatTime(event.receivedAt)}</dd>
            <dt>Timestamp (corrected)</dt>
            <dd title={event.timestamp}>
              {formatTime(event.timestamp)}{' '}
              <span className="muted">({formatGap(event.receivedAt, event.timestamp)})</span>
            </dd>
            <dt>Message ID</dt>
            <dd className="mono">{event.messageId}</dd>
            <dt>User ID</dt>
            <dd className="mono">{event.userId ?? '—'}</dd>
            <dt>Anonymous ID</dt>
            <dd className="mono">{event.anonymousId ?? '—'}</dd>
            <dt>Source</dt>
            <dd>{sourceName}</dd>
            <dt>Sequence</dt>
            <dd className="mono">{event.seq}</dd>
          </dl>
          <div className="row between">
            <h3>Payload</h3>
            <CopyButton
              text={JSON.stringify(event.payload, null, 2)}
              label="Copy the payload as JSON"
            />
          </div>
          <JsonView value={event.payload} label="Event payload (JSON)" />
        </div>
      ) : null}
    </Dialog>
  );
}
