import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { useConsents } from './privacy.api';

/** A profile's consent: the current decision per purpose and channel, and how it was given. */
export function ConsentPanel({ profileKey }: { profileKey: string }) {
  const consents = useConsents(profileKey);
  const current = consents.data?.current ?? [];
  return (
    <section className="card stack" aria-labelledby="consent-title">
      <h2 id="consent-title">Consent</h2>
      <ErrorNote error={consents.error} />
      {consents.data && current.length === 0 ? (
        <p className="muted">No consent decision recorded.</p>
      ) : null}
      {current.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="consents">
            <caption className="visually-hidden">Current consent decisions</caption>
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Channel</th>
                <th scope="col">Decision</th>
                <th scope="col">Source</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {current.map((d) => (
                <tr key={`${d.purpose}-${d.channel}`}>
                  <td>{d.purpose}</td>
                  <td>{d.channel}</td>
                  <td className={d.granted ? 'pos' : 'neg'}>{d.granted ? 'granted' : 'refused'}</td>
                  <td>{d.source}</td>
                  <td>{formatTime(d.recordedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {consents.data && consents.data.history.length > current.length ? (
        <p className="muted">
          {consents.data.history.length} decisions in the history, across{' '}
          {consents.data.subjects.length} identifiers.
        </p>
      ) : null}
    </section>
  );
}
