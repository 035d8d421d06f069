import { useQueries } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { usePipelines, useSearch } from './crm.api';
import { type SlaTarget, stateNow, type TicketSla, timerText, useNow } from './sla.api';

const queueSize = 50;

/** The SLA target to watch: the first response until it is done, then the resolution. */
function nextTarget(sla: TicketSla | undefined): SlaTarget | null {
  if (!sla) return null;
  const first = sla.firstResponse;
  if (first && first.completedAt === null) return first;
  return sla.resolution ?? first;
}

/**
 * Open tickets, the most urgent first: each with its SLA timer (time left or breached) from
 * `GET /api/v1/crm/tickets/{id}/sla`, counting down in the page.
 */
export function TicketQueuePage() {
  const pipelines = usePipelines('tickets');
  const closed = (pipelines.data?.results ?? []).flatMap((p) =>
    p.stages.filter((s) => s.metadata.ticketState === 'CLOSED').map((s) => s.id),
  );
  const tickets = useSearch('tickets', {
    filterGroups: closed.length
      ? [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'NOT_IN', values: closed }] }]
      : [],
    sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
    properties: ['subject', 'hs_pipeline_stage', 'hs_ticket_priority', 'createdate'],
    limit: queueSize,
  });
  const records = pipelines.data ? (tickets.data?.results ?? []) : [];
  const slas = useQueries({
    queries: records.map((t) => ({
      queryKey: ['crm', 'tickets', t.id, 'sla'],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<TicketSla>(`/api/v1/crm/tickets/${encodeURIComponent(t.id)}/sla`, { signal }),
      refetchInterval: 60_000,
    })),
  });
  const now = useNow();
  const stageLabel = new Map(
    (pipelines.data?.results ?? []).flatMap((p) => p.stages.map((s) => [s.id, s.label] as const)),
  );
  const rows = records
    .map((record, i) => {
      const sla = slas[i]?.data;
      const target = nextTarget(sla);
      return { record, sla, target, due: target?.dueAt ? Date.parse(target.dueAt) : Infinity };
    })
    .sort((a, b) => a.due - b.due);

  return (
    <div className="stack">
      <PageHeader
        title="Ticket queue"
        description={`Open tickets (up to ${queueSize}), the nearest SLA due time first.`}
      />
      <ErrorNote error={pipelines.error ?? tickets.error} />
      {tickets.data && records.length === 0 ? <p className="notice">No open tickets.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Open tickets with their SLA timers</caption>
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Stage</th>
                <th scope="col">Priority</th>
                <th scope="col">SLA</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ record, sla, target }) => {
                const p = record.properties;
                const which =
                  target && target === sla?.firstResponse ? 'First response' : 'Resolution';
                return (
                  <tr key={record.id} data-ticket={record.id}>
                    <td>
                      <Link to={`/tickets/${encodeURIComponent(record.id)}`}>
                        {p.subject || `#${record.id}`}
                      </Link>
                    </td>
                    <td>{stageLabel.get(p.hs_pipeline_stage ?? '') ?? p.hs_pipeline_stage}</td>
                    <td>{p.hs_ticket_priority ?? '—'}</td>
                    <td>
                      {!sla ? (
                        '…'
                      ) : target ? (
                        <span className={`sla-timer ${stateNow(target, now)}`}>
                          {which}: {timerText(target, sla.paused, now)}
                        </span>
                      ) : (
                        <span className="muted">no policy</span>
                      )}
                    </td>
                    <td>{target?.dueAt ? formatTime(target.dueAt) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
