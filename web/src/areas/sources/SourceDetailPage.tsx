import { type FormEvent, useEffect, useState } from 'react';
import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { CopyButton } from '../../components/CopyButton';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { LiveDebugger } from './LiveDebugger';
import { SnippetTabs } from './SnippetTabs';
import { useSource, useSourceMutations } from './sources.api';
import { TrackingPlanPanel } from './TrackingPlanPanel';

export function SourceDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const source = useSource(id);
  const { update, rotate } = useSourceMutations();
  const [name, setName] = useState('');
  const [confirmRotate, setConfirmRotate] = useState(false);

  useEffect(() => {
    if (source.data) setName(source.data.name);
  }, [source.data]);

  if (source.error) return <ErrorNote error={source.error} />;
  if (!source.data) {
    return (
      <p className="muted" role="status">
        Loading source…
      </p>
    );
  }
  const current = source.data;

  const rename = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ id: current.id, name: name.trim() });
  };

  return (
    <div className="stack">
      <p>
        <Link to="/sources">← All sources</Link>
      </p>
      <PageHeader
        title={current.name}
        description={`Created ${formatTime(current.createdAt)} · updated ${formatTime(current.updatedAt)}`}
        actions={
          <span className={current.enabled ? 'badge ok' : 'badge off'}>
            {current.enabled ? 'Enabled' : 'Disabled'}
          </span>
        }
      />
      <section className="card stack" aria-labelledby="key-title">
        <h2 id="key-title">Write key</h2>
        <div className="row wrap">
          <code className="secret" data-testid="write-key">
            {current.writeKey}
          </code>
          <CopyButton text={current.writeKey} label="Copy the write key" />
          <button type="button" className="danger" onClick={() => setConfirmRotate(true)}>
            Rotate key
          </button>
        </div>
        <ErrorNote error={rotate.error} />
      </section>
      <section className="card stack" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <form className="row wrap" onSubmit={rename} aria-label="Rename the source">
          <label className="field grow">
            <span>Name</span>
            <input
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
              maxLength={200}
            />
          </label>
          <button
            type="submit"
            disabled={update.isPending || !name.trim() || name.trim() === current.name}
          >
            Rename
          </button>
        </form>
        <div className="row wrap">
          <p className="grow">
            {current.enabled
              ? 'SDKs sending with this key are accepted.'
              : 'SDKs sending with this key are refused with 403 until the source is enabled again.'}
          </p>
          <button
            type="button"
            className={current.enabled ? 'danger' : 'primary'}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: current.id, enabled: !current.enabled })}
          >
            {current.enabled ? 'Disable source' : 'Enable source'}
          </button>
        </div>
        <ErrorNote error={update.error} />
      </section>
      <SnippetTabs origin={window.location.origin} writeKey={current.writeKey} />
      <LiveDebugger sourceId={current.id} />
      <TrackingPlanPanel sourceId={current.id} />
      <ConfirmDialog
        open={confirmRotate}
        title="Rotate the write key?"
        confirmLabel="Rotate key"
        busy={rotate.isPending}
        onCancel={() => setConfirmRotate(false)}
        onConfirm={() => rotate.mutate(current.id, { onSettled: () => setConfirmRotate(false) })}
      >
        <p>
          The current key stops working at once: every site, app and server sending with it is
          refused until it is given the new key.
        </p>
      </ConfirmDialog>
    </div>
  );
}
