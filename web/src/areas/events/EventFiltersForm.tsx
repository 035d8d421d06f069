import { type FormEvent, useState } from 'react';
import { eventTypes } from '../../api/types';
import { useSources } from '../sources/sources.api';
import type { EventFilterName, EventFilters } from './events.api';

interface Props {
  filters: EventFilters;
  onApply: (filters: EventFilters) => void;
}

const textFilters: { name: EventFilterName; label: string }[] = [
  { name: 'userId', label: 'User ID' },
  { name: 'anonymousId', label: 'Anonymous ID' },
  { name: 'event', label: 'Event name' },
  { name: 'messageId', label: 'Message ID' },
];

/** Filters are edited here and applied together, so typing does not fire a query per key. */
export function EventFiltersForm({ filters, onApply }: Props) {
  const [draft, setDraft] = useState<EventFilters>(filters);
  const sources = useSources();
  const set = (name: EventFilterName, value: string) =>
    setDraft((current) => ({ ...current, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const cleaned: EventFilters = {};
    for (const [name, value] of Object.entries(draft) as [EventFilterName, string][]) {
      if (value.trim() !== '') cleaned[name] = value.trim();
    }
    onApply(cleaned);
  };

  return (
    <form className="card filters" onSubmit={submit} aria-label="Event filters">
      <label className="field">
        <span>Source</span>
        <select value={draft.sourceId ?? ''} onChange={(e) => set('sourceId', e.target.value)}>
          <option value="">All sources</option>
          {sources.data?.map((source) => (
            <option key={source.id} value={source.id}>
              {source.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Type</span>
        <select value={draft.type ?? ''} onChange={(e) => set('type', e.target.value)}>
          <option value="">All types</option>
          {eventTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      {textFilters.map(({ name, label }) => (
        <label key={name} className="field">
          <span>{label}</span>
          <input
            name={name}
            value={draft[name] ?? ''}
            onChange={(e) => set(name, e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        </label>
      ))}
      <label className="field">
        <span>Received from</span>
        <input
          type="datetime-local"
          value={draft.from ?? ''}
          onChange={(e) => set('from', e.target.value)}
        />
      </label>
      <label className="field">
        <span>Received before</span>
        <input
          type="datetime-local"
          value={draft.to ?? ''}
          onChange={(e) => set('to', e.target.value)}
        />
      </label>
      <div className="row filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
