import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { useCreateAudience, usePreview } from './audiences.api';
import { EstimatePanel } from './EstimatePanel';
import { RuleGroup } from './RuleEditor';
import { type Group, newGroup, newTraitRule, toCondition } from './rules';
import { useDebounced } from './useDebounced';

/** Audience keys are identifiers: derived from the name until someone edits the key. */
const keyOf = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80);

export function BuilderPage() {
  const [name, setName] = useState('');
  const [key, setKey] = useState<string | undefined>();
  const [description, setDescription] = useState('');
  const [rules, setRules] = useState<Group>(() => newGroup('and', [newTraitRule()]));
  const definition = toCondition(rules);
  // The estimate follows the editor, but only once typing pauses.
  const settled = useDebounced(definition, 400);
  const preview = usePreview(settled);
  const create = useCreateAudience();
  const finalKey = key ?? keyOf(name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!definition) return;
    create.mutate(
      {
        key: finalKey,
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        definition,
      },
      { onSuccess: (audience) => navigate(`/audiences/${encodeURIComponent(audience.id)}`) },
    );
  };

  return (
    <div className="stack">
      <p>
        <Link to="/audiences">← All audiences</Link>
      </p>
      <PageHeader
        title="New audience"
        description="Combine conditions on traits, computed traits and events; the estimate updates as you edit."
      />
      <form className="builder" onSubmit={submit} aria-label="Build an audience">
        <div className="stack">
          <section className="card filters" aria-label="Audience details">
            <label className="field">
              <span>Audience name</span>
              <input
                value={name}
                onChange={(event) => setName(event.target.value)}
                required
                maxLength={200}
              />
            </label>
            <label className="field">
              <span>Key</span>
              <input
                value={finalKey}
                onChange={(event) => setKey(event.target.value)}
                required
                maxLength={80}
                pattern="[A-Za-z0-9_\-]+"
                spellCheck={false}
              />
            </label>
            <label className="field">
              <span>Description</span>
              <input
                value={description}
                onChange={(event) => setDescription(event.target.value)}
                maxLength={2000}
              />
            </label>
          </section>
          <RuleGroup group={rules} depth={0} onChange={setRules} />
          <ErrorNote error={create.error} />
          <div className="row end">
            <button
              type="submit"
              className="primary"
              disabled={create.isPending || !definition || !name.trim() || !finalKey}
            >
              Create audience
            </button>
          </div>
        </div>
        <EstimatePanel
          preview={definition ? preview.data : undefined}
          error={preview.error}
          pending={preview.isFetching || settled !== definition}
          empty={!definition}
        />
      </form>
    </div>
  );
}
