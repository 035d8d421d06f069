import {
  type EventRule,
  type Group,
  type Item,
  newEventRule,
  newGroup,
  newTraitRule,
  ruleOperators,
  type TraitRule,
} from './rules';

interface EditorProps {
  group: Group;
  depth: number;
  onChange: (next: Group) => void;
  onRemove?: () => void;
}

/**
 * A group of conditions joined by "all of" (and) or "any of" (or); groups nest one level, which
 * covers "(A or B) and C" — anything deeper is written in the text form.
 */
export function RuleGroup({ group, depth, onChange, onRemove }: EditorProps) {
  const label = depth === 0 ? 'Audience rules' : 'Nested group';
  const set = (index: number, next: Item | undefined) => {
    const items = [...group.items];
    if (next) items[index] = next;
    else items.splice(index, 1);
    onChange({ ...group, items });
  };
  return (
    <fieldset className={`rule-group depth-${depth}`}>
      <legend className="row wrap">
        <span>{label}: profiles matching</span>
        <select
          aria-label={`${label}: how conditions combine`}
          value={group.combinator}
          onChange={(event) =>
            onChange({ ...group, combinator: event.target.value as 'and' | 'or' })
          }
        >
          <option value="and">all of (and)</option>
          <option value="or">any of (or)</option>
        </select>
        {onRemove ? (
          <button type="button" className="ghost" onClick={onRemove}>
            Remove group
          </button>
        ) : null}
      </legend>
      {group.items.length === 0 ? <p className="muted">No conditions yet.</p> : null}
      <ol className="rules">
        {group.items.map((item, index) => (
          <li key={item.id}>
            {index > 0 ? (
              <span className="combinator" aria-hidden="true">
                {group.combinator}
              </span>
            ) : null}
            {item.kind === 'group' ? (
              <RuleGroup
                group={item}
                depth={depth + 1}
                onChange={(next) => set(index, next)}
                onRemove={() => set(index, undefined)}
              />
            ) : (
              <RuleRow
                item={item}
                position={index + 1}
                onChange={(next) => set(index, next)}
                onRemove={() => set(index, undefined)}
              />
            )}
          </li>
        ))}
      </ol>
      <div className="row wrap">
        <button
          type="button"
          onClick={() => onChange({ ...group, items: [...group.items, newTraitRule()] })}
        >
          Add trait condition
        </button>
        <button
          type="button"
          onClick={() => onChange({ ...group, items: [...group.items, newEventRule()] })}
        >
          Add event condition
        </button>
        {depth === 0 ? (
          <button
            type="button"
            onClick={() =>
              onChange({
                ...group,
                items: [
                  ...group.items,
                  newGroup(group.combinator === 'and' ? 'or' : 'and', [newTraitRule()]),
                ],
              })
            }
          >
            Add group
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

function RuleRow({
  item,
  position,
  onChange,
  onRemove,
}: {
  item: TraitRule | EventRule;
  position: number;
  onChange: (next: Item) => void;
  onRemove: () => void;
}) {
  const changeKind = (kind: string) => {
    if (kind === item.kind) return;
    if (kind === 'event') onChange({ ...newEventRule(), id: item.id });
    else onChange({ ...newTraitRule(), id: item.id, kind: kind as 'trait' | 'computed' });
  };
  return (
    <div className="rule-row" data-testid="rule-row">
      <label className="field">
        <span>Condition {position}</span>
        <select value={item.kind} onChange={(event) => changeKind(event.target.value)}>
          <option value="trait">Trait</option>
          <option value="computed">Computed trait</option>
          <option value="event">Event</option>
        </select>
      </label>
      {item.kind === 'event' ? (
        <EventFields item={item} onChange={onChange} />
      ) : (
        <TraitFields item={item} onChange={onChange} />
      )}
      <button
        type="button"
        className="ghost"
        onClick={onRemove}
        aria-label={`Remove condition ${position}`}
      >
        ✕
      </button>
    </div>
  );
}

function TraitFields({ item, onChange }: { item: TraitRule; onChange: (next: Item) => void }) {
  const noValue = item.op === 'exists' || item.op === 'not_exists';
  return (
    <>
      <label className="field">
        <span>{item.kind === 'computed' ? 'Computed trait key' : 'Trait'}</span>
        <input
          value={item.path}
          onChange={(event) => onChange({ ...item, path: event.target.value })}
          placeholder={item.kind === 'computed' ? 'orders_30d' : 'plan, address.city…'}
          spellCheck={false}
        />
      </label>
      <label className="field">
        <span>Operator</span>
        <select
          value={item.op}
          onChange={(event) => onChange({ ...item, op: event.target.value as TraitRule['op'] })}
        >
          {ruleOperators.map((o) => (
            <option key={o.op} value={o.op}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {noValue ? null : (
        <label className="field">
          <span>Value</span>
          <input
            value={item.value}
            onChange={(event) => onChange({ ...item, value: event.target.value })}
            placeholder="pro, 100, true…"
          />
        </label>
      )}
    </>
  );
}

function EventFields({ item, onChange }: { item: EventRule; onChange: (next: Item) => void }) {
  return (
    <>
      <label className="field">
        <span>Did or did not</span>
        <select
          value={item.performed ? 'did' : 'not'}
          onChange={(event) => onChange({ ...item, performed: event.target.value === 'did' })}
        >
          <option value="did">performed</option>
          <option value="not">did not perform</option>
        </select>
      </label>
      <label className="field">
        <span>Event name</span>
        <input
          value={item.event}
          onChange={(event) => onChange({ ...item, event: event.target.value })}
          placeholder="Order Completed"
        />
      </label>
      {item.performed ? (
        <>
          <label className="field">
            <span>How often</span>
            <select
              value={item.countOp}
              onChange={(event) =>
                onChange({ ...item, countOp: event.target.value as EventRule['countOp'] })
              }
            >
              <option value="gte">at least</option>
              <option value="lte">at most</option>
              <option value="eq">exactly</option>
            </select>
          </label>
          <label className="field narrow">
            <span>Times</span>
            <input
              type="number"
              min={0}
              value={item.count}
              onChange={(event) => onChange({ ...item, count: event.target.value })}
            />
          </label>
        </>
      ) : null}
      <label className="field narrow">
        <span>Within days</span>
        <input
          type="number"
          min={1}
          max={3650}
          value={item.withinDays}
          onChange={(event) => onChange({ ...item, withinDays: event.target.value })}
          placeholder="any time"
        />
      </label>
    </>
  );
}
