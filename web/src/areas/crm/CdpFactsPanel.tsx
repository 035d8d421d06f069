import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';

interface CdpFacts {
  profileId: string;
  linkedBy: string;
  traits: Record<string, unknown>;
  computedTraits: Record<string, unknown>;
  predictions: Record<string, unknown>;
  audiences: { id?: string; key?: string; name?: string }[] | string[];
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Facts({ title, values }: { title: string; values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <div className="stack">
      <h3>{title}</h3>
      <dl className="facts">
        {entries.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{show(v)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * What the CDP knows about the contact, read-only (`GET /api/v1/crm/contacts/{id}/cdp`): loaded
 * when asked for, since most contacts of a plain CRM import have no web profile yet.
 */
export function CdpFactsPanel({ contactId }: { contactId: string }) {
  const [open, setOpen] = useState(false);
  const facts = useQuery({
    queryKey: ['crm', 'contacts', contactId, 'cdp'],
    queryFn: async ({ signal }) => {
      try {
        return await api<CdpFacts>(`/api/v1/crm/contacts/${encodeURIComponent(contactId)}/cdp`, {
          signal,
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled: open,
  });
  const audiences = (facts.data?.audiences ?? []).map((a) =>
    typeof a === 'string' ? a : (a.name ?? a.key ?? a.id ?? ''),
  );
  return (
    <section className="card stack" aria-labelledby="cdp-title">
      <div className="row wrap">
        <h2 id="cdp-title" className="grow">
          Customer data (CDP)
        </h2>
        {open ? null : (
          <button type="button" onClick={() => setOpen(true)}>
            Show CDP profile
          </button>
        )}
      </div>
      {open && facts.data === null ? (
        <p className="muted">No CDP profile is linked to this contact yet.</p>
      ) : null}
      {facts.data ? (
        <div className="stack" data-testid="cdp-facts">
          <p className="muted">
            Read-only, from profile <code>{facts.data.profileId}</code> (linked by{' '}
            {facts.data.linkedBy}).
          </p>
          <p>Audiences: {audiences.length ? audiences.join(', ') : 'none'}</p>
          <Facts title="Predictions" values={facts.data.predictions} />
          <Facts title="Computed traits" values={facts.data.computedTraits} />
          <Facts title="Traits" values={facts.data.traits} />
        </div>
      ) : null}
      <ErrorNote error={facts.error} />
    </section>
  );
}
