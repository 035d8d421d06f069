import { useEffect, useRef, useState } from 'react';
import { JsonView } from '../../components/JsonView';

interface Violation {
  kind: string;
  property: string | null;
  message: string;
}

export interface LiveEntry {
  key: number;
  at: string;
  kind: 'accepted' | 'rejected';
  messageId: string | null;
  type: string;
  name: string;
  duplicate: boolean;
  reason: string | null;
  violations: Violation[];
  payload: unknown;
}

const keep = 200;
const kinds = ['all', 'accepted', 'rejected'] as const;
type KindFilter = (typeof kinds)[number];

function entryOf(kind: LiveEntry['kind'], data: Record<string, unknown>, key: number): LiveEntry {
  const payload = (kind === 'accepted' ? data.event : data.raw) as Record<string, unknown> | null;
  const type = typeof payload?.type === 'string' ? payload.type : '';
  const name =
    typeof payload?.event === 'string'
      ? payload.event
      : typeof payload?.name === 'string'
        ? payload.name
        : '';
  return {
    key,
    at: new Date().toISOString(),
    kind,
    messageId: typeof data.messageId === 'string' ? data.messageId : null,
    type,
    name,
    duplicate: data.duplicate === true,
    reason: typeof data.reason === 'string' ? data.reason : null,
    violations: Array.isArray(data.violations) ? (data.violations as Violation[]) : [],
    payload,
  };
}

function matches(entry: LiveEntry, kind: KindFilter, text: string): boolean {
  if (kind !== 'all' && entry.kind !== kind) return false;
  if (!text) return true;
  const needle = text.toLowerCase();
  return [entry.type, entry.name, entry.messageId ?? '', entry.reason ?? ''].some((v) =>
    v.toLowerCase().includes(needle),
  );
}

/**
 * The live event debugger: the source's accepted and rejected events as they arrive, over the
 * API's Server-Sent Events stream. Pausing keeps the stream open and holds new events aside,
 * so nothing is missed while someone reads; the newest 200 are kept.
 */
export function LiveDebugger({ sourceId }: { sourceId: string }) {
  const [entries, setEntries] = useState<LiveEntry[]>([]);
  const [held, setHeld] = useState<LiveEntry[]>([]);
  const [paused, setPaused] = useState(false);
  const [state, setState] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const [dropped, setDropped] = useState(0);
  const [kind, setKind] = useState<KindFilter>('all');
  const [text, setText] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    let key = 0;
    const source = new EventSource(`/api/v1/sources/${encodeURIComponent(sourceId)}/live`);
    const add = (entry: LiveEntry) => {
      if (pausedRef.current) setHeld((h) => [entry, ...h].slice(0, keep));
      else setEntries((e) => [entry, ...e].slice(0, keep));
    };
    const on = (k: LiveEntry['kind']) => (message: MessageEvent<string>) =>
      add(entryOf(k, JSON.parse(message.data) as Record<string, unknown>, key++));
    source.addEventListener('accepted', on('accepted'));
    source.addEventListener('rejected', on('rejected'));
    source.addEventListener('dropped', (message: MessageEvent<string>) =>
      setDropped((d) => d + Number((JSON.parse(message.data) as { count: number }).count)),
    );
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    return () => source.close();
  }, [sourceId]);

  const resume = () => {
    setEntries((e) => [...held, ...e].slice(0, keep));
    setHeld([]);
    setPaused(false);
  };
  const shown = entries.filter((e) => matches(e, kind, text));

  return (
    <section className="card stack" aria-labelledby="live-title">
      <div className="row wrap">
        <h2 id="live-title" className="grow">
          Live events
        </h2>
        <span className={state === 'live' ? 'badge ok' : 'badge off'} data-testid="live-state">
          {state}
        </span>
        {paused ? (
          <button type="button" className="primary" onClick={resume}>
            Resume ({held.length} new)
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            setEntries([]);
            setHeld([]);
          }}
        >
          Clear
        </button>
      </div>
      <div className="row wrap">
        <label>
          Show{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as KindFilter)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k === 'all' ? 'accepted and rejected' : k}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Filter{' '}
          <input
            value={text}
            placeholder="event name, type, message ID or reason"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </div>
      {dropped > 0 ? (
        <p className="notice">{dropped} events were not shown: the connection fell behind.</p>
      ) : null}
      {shown.length === 0 ? (
        <p className="muted" role="status">
          {entries.length === 0
            ? 'Waiting for events: send one with the snippet above.'
            : 'No event matches the filter.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="live-events">
            <caption className="visually-hidden">Live events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Status</th>
                <th scope="col">Type</th>
                <th scope="col">Event</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.key} data-kind={e.kind}>
                  <td>{e.at.slice(11, 19)}</td>
                  <td>
                    <span className={e.kind === 'accepted' ? 'badge ok' : 'badge off'}>
                      {e.duplicate ? 'duplicate' : e.kind}
                    </span>
                  </td>
                  <td>{e.type || '—'}</td>
                  <td>{e.name || '—'}</td>
                  <td>
                    {e.reason ? <span>{e.reason} </span> : null}
                    {e.violations.length > 0 ? (
                      <span>
                        {e.violations.length} violation{e.violations.length > 1 ? 's' : ''}:{' '}
                        {e.violations.map((v) => v.message).join('; ')}{' '}
                      </span>
                    ) : null}
                    <button
                      type="button"
                      className="link"
                      aria-expanded={open === e.key}
                      onClick={() => setOpen(open === e.key ? null : e.key)}
                    >
                      {open === e.key ? 'Hide payload' : 'Payload'}
                    </button>
                    {open === e.key ? (
                      <JsonView value={e.payload} label={`Payload of ${e.messageId ?? 'event'}`} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
