import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { type SlaTarget, stateNow, timerText, useNow, useTicketSla } from './sla.api';

const targets = [
  { key: 'firstResponse', label: 'First response' },
  { key: 'resolution', label: 'Resolution' },
] as const;

/** A ticket's SLA timers: time left or breached, per target, counting down in the page. */
export function SlaPanel({ ticketId }: { ticketId: string }) {
  const sla = useTicketSla(ticketId);
  const now = useNow();
  return (
    <section className="card stack" aria-labelledby="sla-title">
      <h2 id="sla-title">Service level</h2>
      <ErrorNote error={sla.error} />
      {sla.data && sla.data.policyId === null ? (
        <p className="muted">No SLA policy applies to this ticket.</p>
      ) : null}
      {sla.data?.paused ? <p className="notice">Paused: the ticket is in a paused stage.</p> : null}
      {sla.data && sla.data.policyId !== null ? (
        <dl className="kpis">
          {targets.map(({ key, label }) => {
            const target: SlaTarget | null = sla.data[key];
            if (!target) return null;
            const state = stateNow(target, now);
            return (
              <div key={key} data-testid={`sla-${key}`}>
                <dt>{label}</dt>
                <dd>
                  <span className={`sla-timer ${state}`} role="timer" aria-label={`${label} SLA`}>
                    {timerText(target, sla.data.paused, now)}
                  </span>
                </dd>
                <dd className="muted">
                  {target.completedAt
                    ? `done ${formatTime(target.completedAt)}`
                    : `due ${formatTime(target.dueAt)}`}{' '}
                  · {target.elapsedMinutes} of {target.targetMinutes} business minutes
                </dd>
              </div>
            );
          })}
        </dl>
      ) : null}
    </section>
  );
}
