import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { type ComputedTrait, useComputedTraits, useCreateComputedTrait } from './audiences.api';

const aggregations = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'most_frequent',
  'first',
  'last',
  'unique_list',
  'unique_count',
] as const;

function describe(trait: ComputedTrait): string {
  const d = trait.definition;
  const what = d.aggregation === 'count' ? 'count' : `${d.aggregation} of ${d.property ?? '?'}`;
  const of = d.event ? `“${d.event}”` : 'every track event';
  const window = d.window ? `, last ${d.window.amount} ${d.window.unit}` : '';
  return `${what} over ${of}${window}`;
}

export function ComputedTraitsPage() {
  const traits = useComputedTraits();
  const create = useCreateComputedTrait();
  const [form, setForm] = useState({
    key: '',
    name: '',
    aggregation: 'count' as (typeof aggregations)[number],
    event: '',
    property: '',
    days: '',
  });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const days = Number(form.days);
    create.mutate(
      {
        key: form.key.trim(),
        name: form.name.trim(),
        definition: {
          aggregation: form.aggregation,
          ...(form.event.trim() ? { event: form.event.trim() } : {}),
          ...(form.property.trim() ? { property: form.property.trim() } : {}),
          ...(form.days.trim() && days > 0 ? { window: { amount: days, unit: 'days' } } : {}),
        },
      },
      {
        onSuccess: () =>
          setForm({ key: '', name: '', aggregation: 'count', event: '', property: '', days: '' }),
      },
    );
  };

  return (
    <div className="stack">
      <PageHeader
        title="Computed traits"
        description="Per-profile aggregates of events (counts, sums, latest values…), backfilled from history and kept current."
      />
      <form className="card filters" onSubmit={submit} aria-label="Create a computed trait">
        <label className="field">
          <span>Key</span>
          <input
            value={form.key}
            onChange={(e) => set({ key: e.target.value })}
            required
            maxLength={80}
            placeholder="orders_30d"
            spellCheck={false}
          />
        </label>
        <label className="field">
          <span>Name</span>
          <input
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
            required
            maxLength={200}
            placeholder="Orders, last 30 days"
          />
        </label>
        <label className="field">
          <span>Aggregation</span>
          <select
            value={form.aggregation}
            onChange={(e) => set({ aggregation: e.target.value as typeof form.aggregation })}
          >
            {aggregations.map((a) => (
              <option key={a} value={a}>
                {a.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Event (empty: every track event)</span>
          <input value={form.event} onChange={(e) => set({ event: e.target.value })} />
        </label>
        <label className="field">
          <span>Property</span>
          <input
            value={form.property}
            onChange={(e) => set({ property: e.target.value })}
            required={form.aggregation !== 'count'}
            placeholder="total"
          />
        </label>
        <label className="field">
          <span>Window in days (empty: all time)</span>
          <input
            type="number"
            min={1}
            max={3650}
            value={form.days}
            onChange={(e) => set({ days: e.target.value })}
          />
        </label>
        <div className="filters-actions row end">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create computed trait
          </button>
        </div>
      </form>
      <ErrorNote error={create.error} />
      <ErrorNote error={traits.error} />
      {traits.data && traits.data.data.length === 0 ? (
        <p className="notice">No computed traits yet.</p>
      ) : null}
      {traits.data && traits.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Computed traits</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Definition</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {traits.data.data.map((trait) => (
                <tr key={trait.id}>
                  <td>{trait.name}</td>
                  <td>
                    <code>{trait.key}</code>
                  </td>
                  <td className="wrap-text">{describe(trait)}</td>
                  <td>
                    <span className={trait.status === 'ready' ? 'badge ok' : 'badge'}>
                      {trait.status}
                    </span>
                  </td>
                  <td>{formatTime(trait.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
