import type {
  Condition,
  CountRule,
  Duration,
  Filter,
  Operator,
  Scalar,
  TimeWindow,
  Value,
} from './definition.js';

/**
 * Canonical rendering of condition trees in the text form (grammar in `definition.text.ts`):
 * one text per tree, parenthesized exactly where the tree needs it, names quoted when they are
 * not plain identifiers or are keywords, values as JSON literals.
 */
export const keywords = new Set(
  'and or not trait computed performed did perform in audience account any all none where then within between at least most exactly times true false null contains starts ends with exists does exist one of before after minutes hours days minute hour day'.split(
    ' ',
  ),
);
const bareName = /^[A-Za-z_][A-Za-z0-9_.]*$/;

const symbolOps: Partial<Record<Operator, string>> = {
  eq: '=',
  neq: '!=',
  lt: '<',
  gt: '>',
  lte: '<=',
  gte: '>=',
};

function formatName(name: string): string {
  return bareName.test(name) && !keywords.has(name) && !name.endsWith('.')
    ? name
    : JSON.stringify(name);
}

function formatScalar(v: Scalar): string {
  return JSON.stringify(v);
}

function formatValue(v: Value | undefined): string {
  if (Array.isArray(v)) return `[${v.map(formatScalar).join(', ')}]`;
  return formatScalar(v ?? null);
}

function formatFilter(f: Filter): string {
  const path = formatName(f.path);
  const symbol = symbolOps[f.op];
  if (symbol) return `${path} ${symbol} ${formatValue(f.value)}`;
  switch (f.op) {
    case 'exists':
      return `${path} exists`;
    case 'not_exists':
      return `${path} does not exist`;
    case 'one_of':
      return `${path} one of ${formatValue(f.value)}`;
    case 'starts_with':
      return `${path} starts with ${formatValue(f.value)}`;
    case 'ends_with':
      return `${path} ends with ${formatValue(f.value)}`;
    default:
      return `${path} ${f.op} ${formatValue(f.value)}`;
  }
}

const formatWhere = (where: Filter[]) =>
  where.length === 0 ? '' : ` where ${where.map(formatFilter).join(' and ')}`;
const formatDuration = (d: Duration) => `${d.amount} ${d.unit}`;
function formatWindow(w: TimeWindow | undefined): string {
  if (!w) return '';
  return w.kind === 'within'
    ? ` within ${formatDuration(w.duration)}`
    : ` between ${JSON.stringify(w.from)} and ${JSON.stringify(w.to)}`;
}
const countWords: Record<CountRule['op'], string> = {
  gte: 'at least',
  lte: 'at most',
  eq: 'exactly',
};

/** Renders a condition tree in the text form (canonical: one text per tree). */
export function formatCondition(c: Condition): string {
  switch (c.type) {
    case 'or':
      return c.conditions
        .map((x) => (x.type === 'or' ? `(${formatCondition(x)})` : formatCondition(x)))
        .join(' or ');
    case 'and':
      return c.conditions
        .map((x) =>
          x.type === 'or' || x.type === 'and' ? `(${formatCondition(x)})` : formatCondition(x),
        )
        .join(' and ');
    case 'not':
      return c.condition.type === 'and' || c.condition.type === 'or'
        ? `not (${formatCondition(c.condition)})`
        : `not ${formatCondition(c.condition)}`;
    case 'trait':
      return `trait ${formatFilter(c.filter)}`;
    case 'computed':
      return `computed ${formatFilter(c.filter)}`;
    case 'audience':
      return `in audience ${JSON.stringify(c.audience)}`;
    case 'account':
      return `account ${c.quantifier} (${formatCondition(c.condition)})`;
    case 'funnel':
      return `performed ${JSON.stringify(c.first.event)}${formatWhere(c.first.where)} then ${JSON.stringify(c.second.event)}${formatWhere(c.second.where)} within ${formatDuration(c.within)}`;
    case 'event': {
      const head = `${JSON.stringify(c.event)}${formatWhere(c.where)}`;
      if (c.count?.op === 'eq' && c.count.value === 0)
        return `did not perform ${head}${formatWindow(c.window)}`;
      const count = c.count ? ` ${countWords[c.count.op]} ${c.count.value} times` : '';
      return `performed ${head}${count}${formatWindow(c.window)}`;
    }
  }
}
