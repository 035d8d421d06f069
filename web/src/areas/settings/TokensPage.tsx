import { type FormEvent, useState } from 'react';
import type { ApiToken, Role } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { ConfirmDialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { RoleSelect } from './RoleSelect';
import { useTokenMutations, useTokens } from './settings.api';

export function TokensPage() {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const paging = useCursorStack(String(includeRevoked));
  const tokens = useTokens(includeRevoked, paging.cursor);
  const { create, revoke } = useTokenMutations();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [revoking, setRevoking] = useState<ApiToken | undefined>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), role }, { onSuccess: () => setName('') });
  };

  return (
    <div className="stack">
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and integrations call the API with a role. Only a hash is stored."
      />
      <form className="card filters" onSubmit={submit} aria-label="Create an API token">
        <label className="field">
          <span>Token name</span>
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <RoleSelect value={role} onChange={setRole} />
        <div className="row filters-actions">
          <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
            Create token
          </button>
        </div>
      </form>
      <ErrorNote error={create.error} />
      {create.data ? (
        <div className="notice ok" role="status" aria-label="New token">
          <p>
            Token <strong>{create.data.name}</strong> created. Copy it now: it is shown only once.
          </p>
          <div className="row wrap">
            <code className="secret" data-testid="new-token">
              {create.data.token}
            </code>
            <CopyButton text={create.data.token} label="Copy the new token" />
            <button type="button" className="ghost" onClick={() => create.reset()}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={includeRevoked}
          onChange={(e) => setIncludeRevoked(e.target.checked)}
        />
        Show revoked tokens
      </label>
      <ErrorNote error={tokens.error ?? revoke.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Ends with</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.data.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>
                  <span className="badge">{token.role}</span>
                </td>
                <td className="mono">…{token.hint}</td>
                <td title={token.createdAt}>{formatTime(token.createdAt)}</td>
                <td>{formatTime(token.lastUsedAt)}</td>
                <td>
                  {token.revoked ? (
                    <span className="badge off">Revoked</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRevoking(token)}
                      aria-label={`Revoke the token ${token.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Token pages"
        page={paging.page}
        hasNext={Boolean(tokens.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = tokens.data?.next;
          if (next) paging.next(next);
        }}
      />
      <ConfirmDialog
        open={revoking !== undefined}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        busy={revoke.isPending}
        onCancel={() => setRevoking(undefined)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id, { onSettled: () => setRevoking(undefined) });
        }}
      >
        <p>
          Requests made with <strong>{revoking?.name}</strong> (ending …{revoking?.hint}) are
          refused from now on. This cannot be undone.
        </p>
      </ConfirmDialog>
    </div>
  );
}
