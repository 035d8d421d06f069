import { type FormEvent, useEffect, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { useSavePlan, useTrackingPlan, useViolations } from './sources.api';

const modes = ['allow', 'flag', 'omit', 'block'] as const;
const example = {
  mode: 'flag',
  track: {
    'Order Completed': {
      type: 'object',
      properties: { revenue: { type: 'number' } },
      required: ['revenue'],
    },
  },
};

function PlanEditor({ sourceId }: { sourceId: string }) {
  const plan = useTrackingPlan(sourceId);
  const save = useSavePlan(sourceId);
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    if (plan.data === undefined) return;
    const {
      sourceId: _s,
      version: _v,
      updatedAt: _u,
      ...body
    } = (plan.data ?? example) as Record<string, unknown>;
    delete body.createdAt;
    setText(JSON.stringify(body, null, 2));
  }, [plan.data]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      setParseError(null);
      save.mutate(body);
    } catch (error) {
      setParseError(`Not JSON: ${(error as Error).message}`);
    }
  };

  return (
    <form className="stack" onSubmit={submit} aria-label="Edit the tracking plan">
      <p className="muted">
        {plan.data
          ? `Version ${plan.data.version}, mode ${plan.data.mode}, changed ${formatTime(plan.data.updatedAt)}.`
          : plan.data === null
            ? 'No tracking plan: every event is accepted. The example below flags orders without a revenue.'
            : 'Loading the plan…'}{' '}
        Modes: {modes.join(', ')}.
      </p>
      <label className="field">
        <span>Plan (JSON Schema per event)</span>
        <textarea
          rows={12}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending || !text.trim()}>
          Save plan
        </button>
        {save.isSuccess ? <span role="status">Saved as version {save.data.version}.</span> : null}
      </div>
      {parseError ? <p className="error">{parseError}</p> : null}
      <ErrorNote error={plan.error ?? save.error} />
    </form>
  );
}

/** Tracking-plan violations per event, property and kind, with recent examples, and the plan. */
export function TrackingPlanPanel({ sourceId }: { sourceId: string }) {
  const violations = useViolations(sourceId);
  const [editing, setEditing] = useState(false);
  const counts = violations.data?.counts ?? [];
  const examples = violations.data?.examples ?? [];
  return (
    <section className="card stack" aria-labelledby="violations-title">
      <div className="row wrap">
        <h2 id="violations-title" className="grow">
          Tracking plan violations
        </h2>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {editing ? 'Close the plan' : 'Tracking plan'}
        </button>
      </div>
      {editing ? <PlanEditor sourceId={sourceId} /> : null}
      <ErrorNote error={violations.error} />
      {violations.data && counts.length === 0 ? (
        <p className="muted">No violation recorded.</p>
      ) : null}
      {counts.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Violations per event and property</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Property</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Count
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((c) => (
                <tr key={`${c.eventType}/${c.event}/${c.property}/${c.kind}`}>
                  <td>{c.event ?? c.eventType}</td>
                  <td>{c.property ?? '—'}</td>
                  <td>{c.kind}</td>
                  <td className="num">{c.count}</td>
                  <td>{formatTime(c.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {examples.length > 0 ? (
        <details>
          <summary>Recent examples ({examples.length})</summary>
          <ul className="stack">
            {examples.map((e) => (
              <li key={`${e.messageId}/${e.action}`}>
                <code>{e.messageId}</code> {e.event ?? e.eventType} — {e.action}:{' '}
                {e.violations.map((v) => v.message).join('; ')}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
