/**
 * The visual editor's model of an audience definition, and its translation to the API's JSON
 * AST (docs/audiences.md). The editor holds incomplete rows while someone types; only complete
 * rows become conditions, so the live estimate always describes what is on screen so far.
 */
export const ruleOperators = [
  { op: 'eq', label: 'equals' },
  { op: 'neq', label: 'does not equal' },
  { op: 'gt', label: 'is greater than' },
  { op: 'gte', label: 'is at least' },
  { op: 'lt', label: 'is less than' },
  { op: 'lte', label: 'is at most' },
  { op: 'contains', label: 'contains' },
  { op: 'starts_with', label: 'starts with' },
  { op: 'ends_with', label: 'ends with' },
  { op: 'one_of', label: 'is one of (comma-separated)' },
  { op: 'exists', label: 'exists' },
  { op: 'not_exists', label: 'does not exist' },
  { op: 'before', label: 'is before (date)' },
  { op: 'after', label: 'is after (date)' },
] as const;
export type RuleOperator = (typeof ruleOperators)[number]['op'];

export interface TraitRule {
  id: string;
  kind: 'trait' | 'computed';
  path: string;
  op: RuleOperator;
  value: string;
}

export interface EventRule {
  id: string;
  kind: 'event';
  event: string;
  performed: boolean;
  countOp: 'gte' | 'lte' | 'eq';
  count: string;
  withinDays: string;
}

export interface Group {
  id: string;
  kind: 'group';
  combinator: 'and' | 'or';
  items: Item[];
}

export type Item = TraitRule | EventRule | Group;

let counter = 0;
export const newId = () => `r${++counter}`;

export const newTraitRule = (): TraitRule => ({
  id: newId(),
  kind: 'trait',
  path: '',
  op: 'eq',
  value: '',
});
export const newEventRule = (): EventRule => ({
  id: newId(),
  kind: 'event',
  event: '',
  performed: true,
  countOp: 'gte',
  count: '1',
  withinDays: '',
});
export const newGroup = (combinator: 'and' | 'or' = 'and', items: Item[] = []): Group => ({
  id: newId(),
  kind: 'group',
  combinator,
  items,
});

type Scalar = string | number | boolean | null;

/** Values typed in a box: numbers and booleans as such, anything else as text. */
export function parseValue(text: string): Scalar {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

const needsNoValue = (op: RuleOperator) => op === 'exists' || op === 'not_exists';

function ruleCondition(item: TraitRule | EventRule): unknown {
  if (item.kind === 'event') {
    if (item.event.trim() === '') return undefined;
    const days = Number(item.withinDays);
    const window =
      item.withinDays.trim() !== '' && Number.isInteger(days) && days > 0
        ? { kind: 'within', duration: { amount: days, unit: 'days' } }
        : undefined;
    const count = Number(item.count);
    const countRule = !item.performed
      ? { op: 'eq', value: 0 }
      : Number.isInteger(count) && count >= 0 && !(item.countOp === 'gte' && count <= 1)
        ? { op: item.countOp, value: count }
        : undefined;
    return {
      type: 'event',
      event: item.event.trim(),
      where: [],
      ...(countRule ? { count: countRule } : {}),
      ...(window ? { window } : {}),
    };
  }
  if (item.path.trim() === '') return undefined;
  if (!needsNoValue(item.op) && item.value.trim() === '') return undefined;
  const value = needsNoValue(item.op)
    ? undefined
    : item.op === 'one_of'
      ? item.value
          .split(',')
          .map((part) => parseValue(part))
          .filter((part) => part !== '')
      : item.op === 'before' || item.op === 'after'
        ? item.value.trim()
        : parseValue(item.value);
  return {
    type: item.kind,
    filter: { path: item.path.trim(), op: item.op, ...(value === undefined ? {} : { value }) },
  };
}

/** The API's condition for a group; a group of one is that one condition. */
export function toCondition(item: Item): unknown {
  if (item.kind !== 'group') return ruleCondition(item);
  const conditions = item.items.map(toCondition).filter((c) => c !== undefined);
  if (conditions.length === 0) return undefined;
  if (conditions.length === 1) return conditions[0];
  return { type: item.combinator, conditions };
}

/** How many rows of the editor are complete enough to count. */
export function completeRules(item: Item): number {
  if (item.kind === 'group') return item.items.reduce((n, child) => n + completeRules(child), 0);
  return ruleCondition(item) === undefined ? 0 : 1;
}

/** Replaces (or removes, with `undefined`) the item with this id anywhere in the tree. */
export function updateItem(root: Group, id: string, next: Item | undefined): Group {
  const items: Item[] = [];
  for (const item of root.items) {
    if (item.id === id) {
      if (next) items.push(next);
    } else if (item.kind === 'group') {
      items.push(updateItem(item, id, next));
    } else {
      items.push(item);
    }
  }
  return { ...root, items };
}
