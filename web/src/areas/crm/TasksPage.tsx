import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, withQuery } from '../../api/client';
import { useSession } from '../../api/session';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { type CrmRecord, type SearchFilter, search } from './crm.api';
import { useNow } from './sla.api';

const statuses = ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] as const;
const open = statuses.filter((s) => s !== 'COMPLETED');
const properties = [
  'hs_task_subject',
  'hs_task_status',
  'hs_task_priority',
  'hs_timestamp',
  'hs_task_reminders',
  'hubspot_owner_id',
];

interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

function useOwners() {
  return useQuery({
    queryKey: ['crm', 'owners'],
    queryFn: ({ signal }) =>
      api<{ results: Owner[] }>(withQuery('/crm/v3/owners', { limit: 500 }), { signal }),
    staleTime: 60_000,
  });
}

/** HubSpot's reminder list: epoch-millisecond times separated by ";". */
function reminderTimes(value: string | null | undefined): number[] {
  return (value ?? '')
    .split(/[;,]/)
    .map((t) => Number(t.trim()))
    .filter((t) => Number.isFinite(t) && t > 0);
}

/** The next reminder still to come. */
function nextReminder(value: string | null | undefined, now: number): number | null {
  const times = reminderTimes(value).filter((t) => t > now);
  return times.length ? Math.min(...times) : null;
}

/**
 * Reminders that have rung: open tasks of the caller whose reminder time has passed, checked
 * every 30 s. Dismissing one removes its time from the task (`PATCH hs_task_reminders`).
 */
function DueReminders({ ownerId, now }: { ownerId: string; now: number }) {
  const client = useQueryClient();
  const body = {
    filterGroups: [
      {
        filters: [
          { propertyName: 'hs_task_reminders', operator: 'HAS_PROPERTY' },
          { propertyName: 'hs_task_status', operator: 'IN', values: open },
          { propertyName: 'hubspot_owner_id', operator: 'EQ', value: ownerId },
        ],
      },
    ],
    properties,
    limit: 100,
  };
  const withReminders = useQuery({
    queryKey: ['crm', 'tasks', 'reminders', ownerId],
    queryFn: ({ signal }) => search('tasks', body, signal),
    refetchInterval: 30_000,
  });
  const dismiss = useMutation({
    mutationFn: ({ task, at }: { task: CrmRecord; at: number }) =>
      api<CrmRecord>(`/crm/v3/objects/tasks/${encodeURIComponent(task.id)}`, {
        method: 'PATCH',
        body: {
          properties: {
            hs_task_reminders: reminderTimes(task.properties.hs_task_reminders)
              .filter((t) => t !== at)
              .join(';'),
          },
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['crm', 'tasks'] }),
  });
  const due = (withReminders.data?.results ?? []).flatMap((task) =>
    reminderTimes(task.properties.hs_task_reminders)
      .filter((at) => at <= now)
      .map((at) => ({ task, at })),
  );
  if (due.length === 0) return <ErrorNote error={withReminders.error ?? dismiss.error} />;
  return (
    <section className="card stack" aria-labelledby="reminders-title" aria-live="polite">
      <h2 id="reminders-title">Reminders</h2>
      <ul className="stack">
        {due.map(({ task, at }) => (
          <li key={`${task.id}/${at}`} className="row wrap">
            <span className="grow">
              <strong>{task.properties.hs_task_subject || '(no subject)'}</strong> — reminder set
              for {formatTime(new Date(at).toISOString())}
            </span>
            <button
              type="button"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate({ task, at })}
              aria-label={`Dismiss the reminder of ${task.properties.hs_task_subject || 'the task'}`}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={dismiss.error} />
    </section>
  );
}

/**
 * Tasks, the soonest due first: the caller's own or everyone's they may see, open or all. A
 * task is completed from the list (`PATCH hs_task_status`), and overdue tasks are marked.
 */
export function TasksPage() {
  const session = useSession();
  const owners = useOwners();
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [showDone, setShowDone] = useState(false);
  const client = useQueryClient();
  const now = useNow();
  const email = session.data?.email;
  const me = owners.data?.results.find((o) => o.email === email);
  const mine = scope === 'mine' && email !== undefined;
  const filters: SearchFilter[] = [];
  if (!showDone) filters.push({ propertyName: 'hs_task_status', operator: 'IN', values: open });
  if (mine)
    filters.push({ propertyName: 'hubspot_owner_id', operator: 'EQ', value: me?.id ?? '-' });
  const body = {
    filterGroups: filters.length ? [{ filters }] : [],
    sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' as const }],
    properties,
    limit: 100,
  };
  const tasks = useQuery({
    queryKey: ['crm', 'tasks', 'list', body],
    queryFn: ({ signal }) => search('tasks', body, signal),
    enabled: owners.data !== undefined || !mine,
  });
  const complete = useMutation({
    mutationFn: (id: string) =>
      api<CrmRecord>(`/crm/v3/objects/tasks/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: { properties: { hs_task_status: 'COMPLETED' } },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['crm', 'tasks'] }),
  });
  const ownerName = new Map(
    (owners.data?.results ?? []).map((o) => [
      o.id,
      `${o.firstName} ${o.lastName}`.trim() || o.email,
    ]),
  );
  const list = tasks.data?.results ?? [];

  return (
    <div className="stack">
      <PageHeader
        title="Tasks"
        description="Follow-ups, the soonest due first. Overdue tasks are marked; reminders show when they will ring."
      />
      <div className="row wrap">
        <label>
          Whose{' '}
          <select value={scope} onChange={(e) => setScope(e.target.value as 'mine' | 'all')}>
            <option value="mine">mine</option>
            <option value="all">everyone I can see</option>
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={showDone}
            onChange={(e) => setShowDone(e.target.checked)}
          />{' '}
          Show completed
        </label>
      </div>
      {me ? <DueReminders ownerId={me.id} now={now} /> : null}
      <ErrorNote error={owners.error ?? tasks.error ?? complete.error} />
      {tasks.data && list.length === 0 ? <p className="notice">No task to do.</p> : null}
      {list.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Tasks, soonest due first</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Due</th>
                <th scope="col">Priority</th>
                <th scope="col">Status</th>
                <th scope="col">Owner</th>
                <th scope="col">Reminder</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => {
                const p = t.properties;
                const due = p.hs_timestamp ? Date.parse(p.hs_timestamp) : Number.NaN;
                const done = p.hs_task_status === 'COMPLETED';
                const overdue = !done && due < now;
                const reminder = nextReminder(p.hs_task_reminders, now);
                return (
                  <tr key={t.id} data-overdue={overdue || undefined}>
                    <td>{p.hs_task_subject || '(no subject)'}</td>
                    <td>
                      {Number.isNaN(due) ? '—' : formatTime(new Date(due).toISOString())}
                      {overdue ? <span className="badge off"> overdue</span> : null}
                    </td>
                    <td>{p.hs_task_priority ?? '—'}</td>
                    <td>{p.hs_task_status ?? '—'}</td>
                    <td>
                      {p.hubspot_owner_id
                        ? (ownerName.get(p.hubspot_owner_id) ?? p.hubspot_owner_id)
                        : '—'}
                    </td>
                    <td>{reminder ? formatTime(new Date(reminder).toISOString()) : '—'}</td>
                    <td>
                      {done ? null : (
                        <button
                          type="button"
                          disabled={complete.isPending}
                          aria-label={`Complete ${p.hs_task_subject || 'task'}`}
                          onClick={() => complete.mutate(t.id)}
                        >
                          Complete
                        </button>
                      )}
                    </td>
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
