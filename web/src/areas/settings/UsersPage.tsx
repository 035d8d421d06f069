import { type FormEvent, useState } from 'react';
import type { Role } from '../../api/types';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { RoleSelect } from './RoleSelect';
import { useCreateUser, useUsers } from './settings.api';

export function UsersPage() {
  const paging = useCursorStack('users');
  const users = useUsers(paging.cursor);
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('marketer');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        email: email.trim(),
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(password ? { password } : {}),
      },
      {
        onSuccess: () => {
          setEmail('');
          setName('');
          setPassword('');
        },
      },
    );
  };

  const created = create.data;
  return (
    <div className="stack">
      <PageHeader title="Users" description="People who log in to this console, and their role." />
      <form className="card filters" onSubmit={submit} aria-label="Create a user">
        <label className="field">
          <span>E-mail</span>
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <RoleSelect value={role} onChange={setRole} />
        <label className="field">
          <span>Password (optional, 10+ characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <div className="row filters-actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create user
          </button>
        </div>
      </form>
      <ErrorNote error={create.error} />
      {created ? (
        <div className="notice ok" role="status">
          <p>
            Created <strong>{created.user.email}</strong> ({created.user.role}).
          </p>
          {created.generatedPassword ? (
            <div className="row wrap">
              <span>Generated password, shown only now:</span>
              <code className="secret">{created.generatedPassword}</code>
              <CopyButton text={created.generatedPassword} label="Copy the generated password" />
            </div>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={users.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Console users</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.data.map((user) => (
              <tr key={user.id}>
                <td>{user.email}</td>
                <td>{user.name ?? '—'}</td>
                <td>
                  <span className="badge">{user.role}</span>
                </td>
                <td>{user.disabled ? 'Disabled' : 'Active'}</td>
                <td title={user.createdAt}>{formatTime(user.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="User pages"
        page={paging.page}
        hasNext={Boolean(users.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = users.data?.next;
          if (next) paging.next(next);
        }}
      />
    </div>
  );
}
