import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';

interface Template {
  id: string;
  name: string;
  subject: string;
  body: string;
}

/**
 * Writes a one-to-one e-mail to a contact, from a template (merge fields filled by the server)
 * or typed here; it is sent with `POST /api/v1/crm/emails` and logged on the timeline.
 */
export function EmailComposer({ contactId, email }: { contactId: string; email: string | null }) {
  const client = useQueryClient();
  const templates = useQuery({
    queryKey: ['crm', 'email-templates'],
    queryFn: ({ signal }) => api<{ data: Template[] }>('/api/v1/crm/email-templates', { signal }),
  });
  const [templateId, setTemplateId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api<{ id: string; messageId: string }>('/api/v1/crm/emails', {
        method: 'POST',
        body: templateId ? { contactId, templateId } : { contactId, subject, body },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['crm', 'contacts', contactId, 'activities'] });
      setSubject('');
      setBody('');
    },
  });
  const chosen = templates.data?.data.find((t) => t.id === templateId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  return (
    <section className="card stack" aria-labelledby="email-title">
      <h2 id="email-title">Write an e-mail</h2>
      {!email ? <p className="muted">This contact has no e-mail address.</p> : null}
      <form className="stack" onSubmit={submit} aria-label="E-mail to the contact">
        <label>
          Template{' '}
          <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
            <option value="">none: write it here</option>
            {templates.data?.data.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        {chosen ? (
          <div className="muted" data-testid="template-preview">
            <p>
              <strong>{chosen.subject}</strong>
            </p>
            <p className="activity-body">{chosen.body}</p>
            <p>Merge fields are filled in with this contact's values when it is sent.</p>
          </div>
        ) : (
          <>
            <label>
              Subject{' '}
              <input value={subject} maxLength={998} onChange={(e) => setSubject(e.target.value)} />
            </label>
            <label>
              Message <textarea rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
            </label>
          </>
        )}
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={
              !email || send.isPending || (!templateId && (!subject.trim() || !body.trim()))
            }
          >
            Send to {email ?? 'contact'}
          </button>
          {send.isSuccess ? (
            <span role="status" className="muted">
              Sent and logged on the timeline.
            </span>
          ) : null}
        </div>
        <ErrorNote error={send.error} />
      </form>
    </section>
  );
}
