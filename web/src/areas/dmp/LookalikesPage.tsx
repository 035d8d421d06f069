import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { type Lookalike, number, useLookalikes, useSegmentReport } from './dmp.api';
import { LookalikeCurve } from './LookalikeCurve';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function useLookalikeMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['dmp', 'lookalikes'] });
  return {
    create: useMutation({
      mutationFn: (body: { name: string; seed: { segmentId: string }; model: string }) =>
        api<Lookalike>('/api/v1/dmp/lookalikes', { method: 'POST', body }),
      onSuccess: refresh,
    }),
    activate: useMutation({
      mutationFn: ({ id, reach }: { id: string; reach: number }) =>
        api<Lookalike>(`/api/v1/dmp/lookalikes/${encodeURIComponent(id)}/activate`, {
          method: 'POST',
          body: { reach },
        }),
      onSuccess: refresh,
    }),
  };
}

function LookalikeDetail({ lookalike }: { lookalike: Lookalike }) {
  const { activate } = useLookalikeMutations();
  const usable = lookalike.curve.filter((p) => !p.suppressed);
  const [reach, setReach] = useState<number>(usable[0]?.reach ?? 0);
  const chosen = lookalike.curve.find((p) => p.reach === reach);
  return (
    <section className="card stack" aria-labelledby="lookalike-title">
      <h2 id="lookalike-title">{lookalike.name}</h2>
      <p className="muted">
        {lookalike.model === 'logistic' ? 'Logistic model' : 'Trait-weight model'} trained{' '}
        {formatTime(lookalike.trainedAt)} on {number.format(lookalike.seedSize)} seed members;{' '}
        {lookalike.populationSize === null
          ? 'population under the minimum size'
          : `${number.format(lookalike.populationSize)} other IDs scored`}
        . Use <code>{lookalike.traitId}</code> in segment rules.
      </p>
      <LookalikeCurve
        curve={lookalike.curve}
        label={`Accuracy against reach of ${lookalike.name}`}
      />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Precision and recall at each reach</caption>
          <thead>
            <tr>
              <th scope="col">Reach</th>
              <th scope="col" className="num">
                Audience
              </th>
              <th scope="col" className="num">
                Precision
              </th>
              <th scope="col" className="num">
                Random
              </th>
              <th scope="col" className="num">
                Lift
              </th>
              <th scope="col" className="num">
                Recall
              </th>
            </tr>
          </thead>
          <tbody>
            {lookalike.curve.map((p) => (
              <tr key={p.reach}>
                <td>{pct(p.reach)}</td>
                <td className="num">
                  {p.audienceSize === null ? 'under minimum' : number.format(p.audienceSize)}
                </td>
                <td className="num">{pct(p.precision)}</td>
                <td className="num">{pct(p.baselinePrecision)}</td>
                <td className="num">{p.lift.toFixed(1)}×</td>
                <td className="num">{pct(p.recall)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="row wrap"
        aria-label="Activate the lookalike"
        onSubmit={(e) => {
          e.preventDefault();
          activate.mutate({ id: lookalike.id, reach });
        }}
      >
        <label>
          Reach{' '}
          <select value={reach} onChange={(e) => setReach(Number(e.target.value))}>
            {usable.map((p) => (
              <option key={p.reach} value={p.reach}>
                {pct(p.reach)} — precision {pct(p.precision)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={activate.isPending || !chosen}>
          Activate
        </button>
        {lookalike.activation ? (
          <span data-testid="activation" role="status">
            Active at {pct(lookalike.activation.reach)}:{' '}
            {number.format(lookalike.activation.audienceSize)} IDs since{' '}
            {formatTime(lookalike.activation.activatedAt)}
          </span>
        ) : null}
      </form>
      <ErrorNote error={activate.error} />
      {lookalike.topTraits.length > 0 ? (
        <p className="muted">
          Most telling traits:{' '}
          {lookalike.topTraits
            .slice(0, 5)
            .map((t) => `${t.name ?? t.traitId} (${t.lift.toFixed(1)}×)`)
            .join(', ')}
        </p>
      ) : null}
    </section>
  );
}

/**
 * Lookalikes: train one from a seed segment, read its accuracy-versus-reach curve, and activate
 * it at the reach that pays off (the best-scoring IDs then realize its trait).
 */
export function LookalikesPage() {
  const list = useLookalikes();
  const segments = useSegmentReport();
  const { create } = useLookalikeMutations();
  const [name, setName] = useState('');
  const [seed, setSeed] = useState('');
  const [model, setModel] = useState('traitWeight');
  const [selected, setSelected] = useState<string | null>(null);
  const lookalikes = list.data?.data ?? [];
  const shown = lookalikes.find((l) => l.id === selected) ?? lookalikes[0];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { name: name.trim(), seed: { segmentId: seed }, model },
      { onSuccess: (l) => setSelected(l.id) },
    );
  };

  return (
    <div className="stack">
      <PageHeader
        title="Lookalikes"
        description="IDs that resemble a seed segment, scored on their traits; precision is measured on held-out seed members."
      />
      <form className="card row wrap" onSubmit={submit} aria-label="Train a lookalike">
        <label className="grow">
          Name{' '}
          <input value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Seed segment{' '}
          <select value={seed} required onChange={(e) => setSeed(e.target.value)}>
            <option value="">choose…</option>
            {(segments.data?.data ?? []).map((s) => (
              <option key={s.segmentId} value={s.segmentId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model{' '}
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="traitWeight">trait weights</option>
            <option value="logistic">logistic regression</option>
          </select>
        </label>
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || !name.trim() || !seed}
        >
          {create.isPending ? 'Training…' : 'Train'}
        </button>
      </form>
      <ErrorNote error={create.error ?? list.error ?? segments.error} />
      {list.data && lookalikes.length === 0 ? <p className="notice">No lookalike yet.</p> : null}
      {lookalikes.length > 0 ? (
        <ul className="chips" aria-label="Lookalikes">
          {lookalikes.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                aria-pressed={shown?.id === l.id}
                onClick={() => setSelected(l.id)}
              >
                {l.name} {l.status === 'active' ? '· active' : ''}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {shown ? <LookalikeDetail key={shown.id} lookalike={shown} /> : null}
    </div>
  );
}
