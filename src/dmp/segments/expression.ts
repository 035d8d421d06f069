/**
 * Segment rules: boolean expressions over traits, with Adobe Audience Manager's recency and
 * frequency operators.
 *
 *   expr       := or
 *   or         := and ("OR" and)*
 *   and        := unary ("AND" unary)*
 *   unary      := "NOT" unary | "(" expr ")" | trait | frequency | recency
 *   frequency  := "frequency" "(" ["["] trait ["]"] ["," N "d"] ")" cmp N
 *   recency    := "recency" "(" ["["] trait ["]"] ")" cmp N "d"
 *   cmp        := ">=" | ">" | "<=" | "<" | "=" | "=="
 *
 * A bare trait means "the ID currently qualifies for it". `frequency(t)` counts the trait's
 * realizations still within its TTL (or within the last N days with the window form);
 * `recency(t)` is the number of days since the last realization (no realization: false).
 *
 * Validation follows Audience Manager: an upper-bounded frequency (`<=`, `<`, `= 0`) and a NOT
 * both match IDs that never realized the trait, i.e. almost everyone, so each must sit in an AND
 * with a positive condition; and the whole rule must need at least one realization.
 */

export type Comparison = '>=' | '>' | '<=' | '<' | '=';

export type SegmentExpr =
  | { type: 'trait'; traitId: string }
  | { type: 'frequency'; traitId: string; op: Comparison; value: number; withinDays?: number }
  | { type: 'recency'; traitId: string; op: Comparison; days: number }
  | { type: 'and'; items: SegmentExpr[] }
  | { type: 'or'; items: SegmentExpr[] }
  | { type: 'not'; item: SegmentExpr };

/** Realizations kept per ID and trait; frequencies above this cannot be told apart. */
export const MAX_FREQUENCY = 100;
const MAX_EXPRESSION_LENGTH = 4_000;
const MAX_NODES = 200;
const DAY_MS = 86_400_000;

export class ExpressionError extends Error {
  override name = 'ExpressionError';
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'number'; value: number; days: boolean; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '[' | ']'; at: number };

const TOKEN =
  /\s*(?:(?<num>\d+(?:\.\d+)?)(?<d>[dD])?(?![A-Za-z0-9_])|(?<word>[A-Za-z_][A-Za-z0-9_-]*)|(?<op>>=|<=|==|>|<|=)|(?<punct>[(),[\]]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    const groups = m?.groups;
    if (!m || !groups) throw new ExpressionError(`unexpected character at position ${at + 1}`);
    const start = m.index + (m[0].length - m[0].trimStart().length);
    if (groups.num !== undefined) {
      tokens.push({ kind: 'number', value: Number(groups.num), days: groups.d !== undefined, at });
    } else if (groups.word !== undefined) {
      tokens.push({ kind: 'word', text: groups.word, at: start });
    } else if (groups.op !== undefined) {
      tokens.push({ kind: 'op', text: groups.op, at: start });
    } else if (groups.punct !== undefined) {
      tokens.push({ kind: 'punct', text: groups.punct as '(' | ')' | ',' | '[' | ']', at: start });
    }
    at = TOKEN.lastIndex;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  nodes = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): SegmentExpr {
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new ExpressionError(`unexpected ${describe(extra)}`);
    return expr;
  }

  private count(): void {
    if (++this.nodes > MAX_NODES) throw new ExpressionError(`more than ${MAX_NODES} terms`);
  }

  private keyword(word: string): boolean {
    const token = this.tokens[this.pos];
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      this.pos++;
      return true;
    }
    return false;
  }

  private punct(text: string): boolean {
    const token = this.tokens[this.pos];
    if (token?.kind === 'punct' && token.text === text) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    if (!this.punct(text)) throw new ExpressionError(`expected "${text}" ${this.where()}`);
  }

  private where(): string {
    const token = this.tokens[this.pos];
    return token ? `before ${describe(token)}` : 'at the end';
  }

  private or(): SegmentExpr {
    const items = [this.and()];
    while (this.keyword('OR')) items.push(this.and());
    return items.length === 1 && items[0] ? items[0] : { type: 'or', items };
  }

  private and(): SegmentExpr {
    const items = [this.unary()];
    while (this.keyword('AND')) items.push(this.unary());
    return items.length === 1 && items[0] ? items[0] : { type: 'and', items };
  }

  private unary(): SegmentExpr {
    this.count();
    if (this.keyword('NOT')) return { type: 'not', item: this.unary() };
    if (this.punct('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const token = this.tokens[this.pos];
    if (token?.kind !== 'word') throw new ExpressionError(`expected a trait ${this.where()}`);
    const lower = token.text.toLowerCase();
    const next = this.tokens[this.pos + 1];
    const isCall = next?.kind === 'punct' && next.text === '(';
    if (isCall && lower === 'frequency') return this.frequency();
    if (isCall && lower === 'recency') return this.recency();
    if (['and', 'or', 'not'].includes(lower)) {
      throw new ExpressionError(`expected a trait ${this.where()}`);
    }
    this.pos++;
    return { type: 'trait', traitId: token.text };
  }

  private traitArgument(): string {
    const bracket = this.punct('[');
    const token = this.tokens[this.pos];
    if (token?.kind !== 'word') throw new ExpressionError(`expected a trait ${this.where()}`);
    this.pos++;
    if (bracket) this.expect(']');
    return token.text;
  }

  private comparison(): Comparison {
    const token = this.tokens[this.pos];
    if (token?.kind !== 'op') throw new ExpressionError(`expected a comparison ${this.where()}`);
    this.pos++;
    return token.text === '==' ? '=' : (token.text as Comparison);
  }

  private number(days: boolean): number {
    const token = this.tokens[this.pos];
    if (token?.kind !== 'number' || !Number.isInteger(token.value)) {
      throw new ExpressionError(`expected a whole number ${this.where()}`);
    }
    if (days && !token.days) throw new ExpressionError(`expected a number of days like 7d`);
    if (!days && token.days) throw new ExpressionError('a frequency is a count, not days');
    this.pos++;
    return token.value;
  }

  private frequency(): SegmentExpr {
    this.pos++;
    this.expect('(');
    const traitId = this.traitArgument();
    let withinDays: number | undefined;
    if (this.punct(',')) withinDays = this.number(true);
    this.expect(')');
    const op = this.comparison();
    const value = this.number(false);
    if (value > MAX_FREQUENCY) {
      throw new ExpressionError(`frequencies above ${MAX_FREQUENCY} are not supported`);
    }
    if (withinDays !== undefined && withinDays < 1) {
      throw new ExpressionError('a frequency window is at least 1d');
    }
    return withinDays === undefined
      ? { type: 'frequency', traitId, op, value }
      : { type: 'frequency', traitId, op, value, withinDays };
  }

  private recency(): SegmentExpr {
    this.pos++;
    this.expect('(');
    const traitId = this.traitArgument();
    this.expect(')');
    const op = this.comparison();
    return { type: 'recency', traitId, op, days: this.number(true) };
  }
}

function describe(token: Token): string {
  const text = token.kind === 'number' ? String(token.value) : token.text;
  return `"${text}" at position ${token.at + 1}`;
}

/** True when the node can only hold for an ID that realized some trait. */
export function isPositive(expr: SegmentExpr): boolean {
  switch (expr.type) {
    case 'trait':
    case 'recency':
      return true;
    case 'frequency':
      return (
        (expr.op === '>=' && expr.value >= 1) ||
        expr.op === '>' ||
        (expr.op === '=' && expr.value >= 1)
      );
    case 'not':
      return false;
    case 'and':
      return expr.items.some(isPositive);
    case 'or':
      return expr.items.every(isPositive);
  }
}

function render(expr: SegmentExpr): string {
  switch (expr.type) {
    case 'trait':
      return expr.traitId;
    case 'frequency':
      return `frequency(${expr.traitId}${expr.withinDays ? `, ${expr.withinDays}d` : ''}) ${expr.op} ${expr.value}`;
    case 'recency':
      return `recency(${expr.traitId}) ${expr.op} ${expr.days}d`;
    case 'not':
      return `NOT ${render(expr.item)}`;
    case 'and':
      return `(${expr.items.map(render).join(' AND ')})`;
    case 'or':
      return `(${expr.items.map(render).join(' OR ')})`;
  }
}

/** Each NOT and upper-bounded frequency must have a positive sibling in an enclosing AND. */
function checkGuards(expr: SegmentExpr, guarded: boolean): void {
  switch (expr.type) {
    case 'frequency':
      if (!guarded && !isPositive(expr)) {
        throw new ExpressionError(
          `"${render(expr)}" also matches IDs that never realized ${expr.traitId}; AND it with a positive condition, e.g. "${expr.traitId} AND ${render(expr)}"`,
        );
      }
      return;
    case 'not':
      if (!guarded) {
        throw new ExpressionError(
          `"${render(expr)}" matches almost every ID; AND it with a positive condition`,
        );
      }
      checkGuards(expr.item, true);
      return;
    case 'and':
      expr.items.forEach((item, i) => {
        const sibling = expr.items.some((other, j) => j !== i && isPositive(other));
        checkGuards(item, guarded || sibling);
      });
      return;
    case 'or':
      for (const item of expr.items) checkGuards(item, guarded);
      return;
    default:
      return;
  }
}

/** Parses and validates a segment rule; throws `ExpressionError` with a readable reason. */
export function parseSegmentExpression(text: string): SegmentExpr {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the rule is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ExpressionError('the rule is empty');
  const expr = new Parser(tokens).parse();
  checkGuards(expr, false);
  if (!isPositive(expr)) {
    throw new ExpressionError('the rule must require at least one trait realization');
  }
  return expr;
}

/** Every trait the rule mentions. */
export function referencedTraits(expr: SegmentExpr): Set<string> {
  const out = new Set<string>();
  const walk = (node: SegmentExpr): void => {
    if (node.type === 'and' || node.type === 'or') node.items.forEach(walk);
    else if (node.type === 'not') walk(node.item);
    else out.add(node.traitId);
  };
  walk(expr);
  return out;
}

/** What the evaluator knows of one ID: per trait, its live realization times and qualification. */
export interface TraitState {
  /** Epoch-ms times of realizations still within the trait's TTL, oldest first. */
  hits: readonly number[];
  /** Whether the trait's own rule (its frequency/recency) holds now. */
  qualified: boolean;
}

function compare(left: number, op: Comparison, right: number): boolean {
  switch (op) {
    case '>=':
      return left >= right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '<':
      return left < right;
    case '=':
      return left === right;
  }
}

/** Evaluates a parsed rule for one ID at `nowMs`. */
export function evaluateSegment(
  expr: SegmentExpr,
  traits: ReadonlyMap<string, TraitState>,
  nowMs: number,
): boolean {
  switch (expr.type) {
    case 'trait':
      return traits.get(expr.traitId)?.qualified ?? false;
    case 'frequency': {
      const hits = traits.get(expr.traitId)?.hits ?? [];
      const since = expr.withinDays === undefined ? -Infinity : nowMs - expr.withinDays * DAY_MS;
      const count = hits.filter((at) => at >= since).length;
      return compare(count, expr.op, expr.value);
    }
    case 'recency': {
      const last = traits.get(expr.traitId)?.hits.at(-1);
      if (last === undefined) return false;
      return compare((nowMs - last) / DAY_MS, expr.op, expr.days);
    }
    case 'not':
      return !evaluateSegment(expr.item, traits, nowMs);
    case 'and':
      return expr.items.every((item) => evaluateSegment(item, traits, nowMs));
    case 'or':
      return expr.items.some((item) => evaluateSegment(item, traits, nowMs));
  }
}
