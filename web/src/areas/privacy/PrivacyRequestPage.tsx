import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import '../../styles/charts.css';
import { usePrivacyRequest } from './privacy.api';

const number = new Intl.NumberFormat();

/** A receipt's detail as `key: a, b` lines rather than raw JSON. */
const detailText = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .map(
      ([key, value]) =>
        `${key}: ${Array.isArray(value) ? value.join(', ') || 'none' : typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join('; ');

/** One data subject request: its status, followed live, and a receipt per store. */
export function PrivacyRequestPage({ params }: PageProps) {
  const id = params.id ?? '';
  const request = usePrivacyRequest(id);
  const r = request.data;
  return (
    <div className="stack">
      <p>
        <Link to="/privacy">← Privacy requests</Link>
      </p>
      <PageHeader
        title={r ? `${r.type[0]?.toUpperCase()}${r.type.slice(1)} request` : 'Privacy request'}
        description={`${id}${r ? ` · by ${r.identityType}` : ''}${r?.createdAt ? ` · filed ${formatTime(r.createdAt)}` : ''}`}
      />
      <ErrorNote error={request.error} />
      {r ? (
        <>
          <p>
            Status:{' '}
            <strong data-testid="request-status" aria-live="polite">
              {r.status}
            </strong>
            {r.completedAt ? ` · completed ${formatTime(r.completedAt)}` : null}
            {r.attempts && r.attempts > 1 ? ` · ${r.attempts} attempts` : null}
          </p>
          {r.error ? <p className="notice">{r.error}</p> : null}
          <section className="card stack" aria-labelledby="receipts-title">
            <h2 id="receipts-title">Receipts</h2>
            {r.receipts.length === 0 ? <p className="muted">No store has reported yet.</p> : null}
            <div className="table-wrap">
              <table className="receipt-list">
                <caption className="visually-hidden">One receipt per store</caption>
                <thead>
                  <tr>
                    <th scope="col">Store</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Found
                    </th>
                    <th scope="col" className="num">
                      {r.type === 'access' ? 'Exported' : 'Affected'}
                    </th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {r.receipts.map((receipt) => (
                    <tr key={receipt.store} data-store={receipt.store}>
                      <th scope="row">{receipt.store}</th>
                      <td className={receipt.status === 'completed' ? 'ok' : receipt.status}>
                        {receipt.status}
                      </td>
                      <td className="num">{number.format(receipt.found)}</td>
                      <td className="num">{number.format(receipt.affected)}</td>
                      <td className="wrap-text">
                        {receipt.detail ? detailText(receipt.detail) : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
