import { formatTime } from '../../components/format';
import type { MergeEntry } from './profiles.api';

/** Every merge and unmerge of the profile, newest first, with its reason. */
export function MergeLog({
  entries,
  selected,
  onSelect,
  onUnmerge,
}: {
  entries: MergeEntry[];
  selected: string | undefined;
  onSelect: (id: string | undefined) => void;
  onUnmerge: (id: string) => void;
}) {
  if (entries.length === 0) return <p className="muted">No merges: this profile stands alone.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Merge log</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Reason</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.id}
              className={selected === entry.id ? 'selected' : undefined}
              data-testid="merge-row"
            >
              <td>{formatTime(entry.createdAt)}</td>
              <td>
                {entry.kind === 'merge' ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => onSelect(selected === entry.id ? undefined : entry.id)}
                  >
                    Merged <code>{entry.otherProfileId}</code>
                  </button>
                ) : (
                  <>Unmerge of {entry.reason.reverses ?? 'a merge'}</>
                )}
                {entry.reversedBy ? <span className="badge off">reversed</span> : null}
              </td>
              <td className="wrap-text">
                {entry.reason.rule ?? (entry.kind === 'unmerge' ? 'by hand' : '')}
                {entry.reason.linking?.length ? ` (${entry.reason.linking.join(', ')})` : ''}
                {entry.reason.event ? ` · event #${entry.reason.event.seq}` : ''}
              </td>
              <td>
                {entry.kind === 'merge' && entry.reversedBy === null ? (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => onUnmerge(entry.id)}
                    aria-label={`Unmerge ${entry.otherProfileId ?? ''}`}
                  >
                    Unmerge
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
