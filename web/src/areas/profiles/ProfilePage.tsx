import { useState } from 'react';
import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { ConsentPanel } from '../privacy/ConsentPanel';
import { IdentityGraph } from './IdentityGraph';
import { MergeLog } from './MergeLog';
import { displayName, showValue, useMergeLog, useProfile, useUnmerge } from './profiles.api';
import { Timeline } from './Timeline';

export function ProfilePage({ params }: PageProps) {
  const key = params.id ?? '';
  const profile = useProfile(key);
  const merges = useMergeLog(key);
  const unmerge = useUnmerge(key);
  const [selected, setSelected] = useState<string | undefined>();
  const [confirm, setConfirm] = useState<string | undefined>();

  if (profile.error) return <ErrorNote error={profile.error} />;
  if (!profile.data) {
    return (
      <p className="muted" role="status">
        Loading profile…
      </p>
    );
  }
  const p = profile.data;
  const traits = Object.entries(p.traits);
  const computed = Object.entries(p.computedTraits);

  return (
    <div className="stack">
      <p>
        <Link to="/profiles">← Find another profile</Link>
      </p>
      <PageHeader
        title={displayName(p)}
        description={
          <>
            <code>{p.id}</code> · first seen {formatTime(p.firstSeen)} · last seen{' '}
            {formatTime(p.lastSeen)}
          </>
        }
      />
      <div className="split">
        <section className="card stack" aria-labelledby="traits-title">
          <h2 id="traits-title">Traits</h2>
          {traits.length === 0 ? <p className="muted">No traits yet.</p> : null}
          <dl className="facts">
            {traits.map(([name, value]) => (
              <div key={name} className="fact">
                <dt>{name}</dt>
                <dd title={p.traitTimes[name] ? `set ${p.traitTimes[name]}` : undefined}>
                  {showValue(value)}
                </dd>
              </div>
            ))}
          </dl>
          {computed.length > 0 ? (
            <>
              <h3>Computed traits</h3>
              <dl className="facts">
                {computed.map(([name, value]) => (
                  <div key={name} className="fact">
                    <dt>{name}</dt>
                    <dd>{showValue(value)}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
        </section>
        <section className="card stack" aria-labelledby="audiences-title">
          <h2 id="audiences-title">Audiences</h2>
          {p.audiences.length === 0 ? (
            <p className="muted">Not in any audience.</p>
          ) : (
            <ul className="chips" aria-label="Audience memberships">
              {p.audiences.map((key) => (
                <li key={key} className="badge ok">
                  {key}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <ConsentPanel profileKey={key} />
      <section className="card stack" aria-labelledby="graph-title">
        <h2 id="graph-title">Identity graph</h2>
        <IdentityGraph
          profile={p}
          merges={merges.data?.data ?? []}
          selected={selected}
          onSelect={setSelected}
        />
        <ErrorNote error={merges.error} />
        <MergeLog
          entries={merges.data?.data ?? []}
          selected={selected}
          onSelect={setSelected}
          onUnmerge={(id) => setConfirm(id)}
        />
        <ErrorNote error={unmerge.error} />
        {unmerge.data ? (
          <p className="notice ok" role="status">
            Unmerged: the profiles are now {unmerge.data.profiles.join(' and ')}.
          </p>
        ) : null}
      </section>
      <Timeline profileKey={key} />
      <ConfirmDialog
        open={confirm !== undefined}
        title="Unmerge these profiles?"
        confirmLabel="Unmerge"
        busy={unmerge.isPending}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => {
          if (confirm) unmerge.mutate(confirm, { onSettled: () => setConfirm(undefined) });
        }}
      >
        <p>
          The two sides go back to separate profiles with their own events, identifiers and traits,
          and will never be merged again.
        </p>
      </ConfirmDialog>
    </div>
  );
}
