import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useState } from 'react';
import { Link, navigate, useLocation } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import {
  amountOf,
  type CrmRecord,
  formatAmount,
  type SearchBody,
  type SearchPage,
  usePipelines,
  useSearch,
  useUpdateRecord,
} from './crm.api';

const dealProperties = ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate'];

/**
 * Deals of one pipeline as columns of stages. A card moves by drag and drop, or, from the
 * keyboard, with its stage menu; either way the deal's `dealstage` is PATCHed and the board
 * shows the move at once (and puts it back if the server refuses).
 */
export function BoardPage() {
  const { query } = useLocation();
  const pipelines = usePipelines('deals');
  const list = (pipelines.data?.results ?? []).filter((p) => !p.archived);
  const pipelineId = query.get('pipeline') ?? list[0]?.id ?? 'default';
  const pipeline = list.find((p) => p.id === pipelineId) ?? list[0];
  const body: SearchBody = {
    filterGroups: [{ filters: [{ propertyName: 'pipeline', operator: 'EQ', value: pipelineId }] }],
    sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
    properties: dealProperties,
    limit: 200,
  };
  const deals = useSearch('deals', body);
  const update = useUpdateRecord('deals');
  const client = useQueryClient();
  const [dragging, setDragging] = useState<string | undefined>();
  const [over, setOver] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');

  const stages = [...(pipeline?.stages ?? [])]
    .filter((s) => !s.archived)
    .sort((a, b) => a.displayOrder - b.displayOrder);
  const records = deals.data?.results ?? [];

  const move = (deal: CrmRecord, stageId: string) => {
    if (deal.properties.dealstage === stageId) return;
    const key = ['crm', 'deals', 'search', body];
    const before = client.getQueryData<SearchPage>(key);
    if (before) {
      client.setQueryData<SearchPage>(key, {
        ...before,
        results: before.results.map((r) =>
          r.id === deal.id ? { ...r, properties: { ...r.properties, dealstage: stageId } } : r,
        ),
      });
    }
    const label = stages.find((s) => s.id === stageId)?.label ?? stageId;
    update.mutate(
      { id: deal.id, properties: { dealstage: stageId } },
      {
        onSuccess: () =>
          setAnnouncement(`${deal.properties.dealname ?? deal.id} moved to ${label}`),
        onError: () => {
          if (before) client.setQueryData(key, before);
        },
      },
    );
  };

  const onDrop = (event: DragEvent, stageId: string) => {
    event.preventDefault();
    setOver(undefined);
    const id = event.dataTransfer.getData('text/plain') || dragging;
    const deal = records.find((r) => r.id === id);
    if (deal) move(deal, stageId);
    setDragging(undefined);
  };

  return (
    <div className="stack">
      <PageHeader
        title="Pipeline board"
        description="Drag a deal to another stage, or pick its stage from the menu on the card."
        actions={
          list.length > 0 ? (
            <label className="field">
              <span>Pipeline</span>
              <select
                value={pipeline?.id ?? ''}
                onChange={(e) =>
                  navigate(`/pipeline?pipeline=${encodeURIComponent(e.target.value)}`)
                }
              >
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null
        }
      />
      <ErrorNote error={pipelines.error} />
      <ErrorNote error={deals.error} />
      <ErrorNote error={update.error} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {deals.data && deals.data.total > records.length ? (
        <p className="notice">
          Showing the newest {records.length} of {deals.data.total} deals;{' '}
          <Link to="/deals">the deals table</Link> lists them all.
        </p>
      ) : null}
      <div className="board" data-testid="board">
        {stages.map((stage) => {
          const cards = records.filter((r) => r.properties.dealstage === stage.id);
          const sum = cards.reduce((total, r) => total + amountOf(r), 0);
          return (
            <section
              key={stage.id}
              className={`board-column${over === stage.id ? ' over' : ''}`}
              aria-labelledby={`stage-${stage.id}`}
              data-stage={stage.id}
              onDragOver={(event) => {
                event.preventDefault();
                event.dataTransfer.dropEffect = 'move';
                setOver(stage.id);
              }}
              onDragLeave={() => setOver((current) => (current === stage.id ? undefined : current))}
              onDrop={(event) => onDrop(event, stage.id)}
            >
              <header className="board-column-head">
                <h2 id={`stage-${stage.id}`}>{stage.label}</h2>
                <span className="muted">
                  {cards.length} · {formatAmount(sum)}
                </span>
              </header>
              <ul className="board-cards">
                {cards.map((deal) => (
                  <li
                    key={deal.id}
                    className={`board-card${dragging === deal.id ? ' dragging' : ''}`}
                    draggable
                    data-deal={deal.id}
                    onDragStart={(event) => {
                      event.dataTransfer.setData('text/plain', deal.id);
                      event.dataTransfer.effectAllowed = 'move';
                      setDragging(deal.id);
                    }}
                    onDragEnd={() => setDragging(undefined)}
                  >
                    <Link to={`/deals/${encodeURIComponent(deal.id)}`}>
                      {deal.properties.dealname || `Deal ${deal.id}`}
                    </Link>
                    <span className="muted">{formatAmount(amountOf(deal))}</span>
                    <label className="visually-hidden" htmlFor={`stage-of-${deal.id}`}>
                      Stage of {deal.properties.dealname || `deal ${deal.id}`}
                    </label>
                    <select
                      id={`stage-of-${deal.id}`}
                      className="compact"
                      value={stage.id}
                      onChange={(e) => move(deal, e.target.value)}
                    >
                      {stages.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.label}
                        </option>
                      ))}
                    </select>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
