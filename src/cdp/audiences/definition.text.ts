import { AppError } from '../../kernel/errors.js';
/**
 * The readable text form of audience definitions, e.g.
 *
 *   trait plan = "pro" and performed "Order Completed" where total > 50 at least 2 times within 30 days
 *
 * Grammar (lowest precedence first; `and` binds tighter than `or`, `not` tighter than both):
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | atom
 *   atom    := 'trait' filter | 'computed' filter | 'in' 'audience' STRING
 *            | 'performed' STRING where? ( 'then' STRING where? 'within' duration | count? window? )
 *            | 'did' 'not' 'perform' STRING where? window?
 *            | 'account' ('any'|'all'|'none') '(' expr ')'
 *   where   := 'where' filter ('and' filter)*
 *   filter  := path ( '='|'!='|'<'|'>'|'<='|'>=' value | 'contains'|'starts with'|'ends with' STRING
 *            | 'exists' | 'does not exist' | 'one of' '[' value (',' value)* ']'
 *            | 'before' STRING | 'after' STRING )
 *   count   := ('at least'|'at most'|'exactly') INT 'times'
 *   window  := 'within' duration | 'between' STRING 'and' STRING
 *
 * `format` is canonical and parenthesizes exactly where the tree needs it, so that
 * `parse(format(ast))` returns `ast` for every valid tree (a property test checks this).
 */
import { formatCondition, keywords } from './definition.format.js';
import type {
  Condition,
  CountRule,
  Duration,
  DurationUnit,
  EventStep,
  Filter,
  Operator,
  Scalar,
  TimeWindow,
} from './definition.js';

export { formatCondition };

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'punct'; text: string; at: number };

const tokenPattern =
  /\s*(?:("(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_.]*)|(<=|>=|!=|[=<>()[\],]))/y;

// Raw control characters are invalid inside JSON strings: JSON.parse rejects them for us.
function jsonString(literal: string, at: number): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    throw syntax('invalid string literal', at);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  tokenPattern.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    tokenPattern.lastIndex = pos;
    const m = tokenPattern.exec(text);
    if (!m) throw syntax(`unexpected character at offset ${pos}`, pos);
    const at = m.index + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) out.push({ kind: 'string', text: jsonString(m[1], at), at });
    else if (m[2] !== undefined) out.push({ kind: 'number', value: Number(m[2]), at });
    else if (m[3] !== undefined) out.push({ kind: 'word', text: m[3], at });
    else if (m[4] !== undefined) out.push({ kind: 'punct', text: m[4], at });
    pos = tokenPattern.lastIndex;
  }
  return out;
}

function syntax(message: string, at: number): AppError {
  return new AppError('bad_request', `Invalid audience text: ${message}`, [
    { field: '/text', message: `${message} (offset ${at})` },
  ]);
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  private where(): number {
    return this.peek()?.at ?? this.length;
  }
  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text === text;
  }
  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }
  private word(text: string): void {
    if (!this.isWord(text)) throw syntax(`expected "${text}"`, this.where());
    this.i++;
  }
  private punct(text: string): void {
    if (!this.isPunct(text)) throw syntax(`expected "${text}"`, this.where());
    this.i++;
  }
  private string(what: string): string {
    const t = this.peek();
    if (t?.kind !== 'string') throw syntax(`expected ${what} as a "quoted string"`, this.where());
    this.i++;
    return t.text;
  }
  private integer(what: string): number {
    const t = this.peek();
    if (t?.kind !== 'number' || !Number.isInteger(t.value))
      throw syntax(`expected ${what} (a whole number)`, this.where());
    this.i++;
    return t.value;
  }

  done(): void {
    if (this.i < this.tokens.length) throw syntax('unexpected text after the end', this.where());
  }

  expr(): Condition {
    const list = [this.and()];
    while (this.isWord('or')) {
      this.i++;
      list.push(this.and());
    }
    return list.length === 1 ? (list[0] as Condition) : { type: 'or', conditions: list };
  }

  private and(): Condition {
    const list = [this.unary()];
    while (this.isWord('and')) {
      this.i++;
      list.push(this.unary());
    }
    return list.length === 1 ? (list[0] as Condition) : { type: 'and', conditions: list };
  }

  private unary(): Condition {
    if (this.isWord('not')) {
      this.i++;
      return { type: 'not', condition: this.unary() };
    }
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.expr();
      this.punct(')');
      return inner;
    }
    return this.atom();
  }

  private atom(): Condition {
    const t = this.peek();
    if (t?.kind !== 'word') throw syntax('expected a condition', this.where());
    switch (t.text) {
      case 'trait':
      case 'computed':
        this.i++;
        return { type: t.text, filter: this.filter() };
      case 'in':
        this.i++;
        this.word('audience');
        return { type: 'audience', audience: this.string('an audience key') };
      case 'account': {
        this.i++;
        const q = this.peek();
        if (q?.kind !== 'word' || !['any', 'all', 'none'].includes(q.text))
          throw syntax('expected any, all or none', this.where());
        this.i++;
        this.punct('(');
        const inner = this.expr();
        this.punct(')');
        return { type: 'account', quantifier: q.text as 'any' | 'all' | 'none', condition: inner };
      }
      case 'did': {
        this.i++;
        this.word('not');
        this.word('perform');
        const event = this.string('an event name');
        const where = this.whereClause();
        const window = this.window();
        return {
          type: 'event',
          event,
          where,
          count: { op: 'eq', value: 0 },
          ...(window ? { window } : {}),
        };
      }
      case 'performed': {
        this.i++;
        const first: EventStep = { event: this.string('an event name'), where: this.whereClause() };
        if (this.isWord('then')) {
          this.i++;
          const second: EventStep = {
            event: this.string('an event name'),
            where: this.whereClause(),
          };
          this.word('within');
          return { type: 'funnel', first, second, within: this.duration() };
        }
        const count = this.count();
        const window = this.window();
        return {
          type: 'event',
          event: first.event,
          where: first.where,
          ...(count ? { count } : {}),
          ...(window ? { window } : {}),
        };
      }
      default:
        throw syntax(`unknown condition "${t.text}"`, t.at);
    }
  }

  private whereClause(): Filter[] {
    if (!this.isWord('where')) return [];
    this.i++;
    const list = [this.filter()];
    // `and` continues the filter list only when a property name follows; otherwise it joins
    // the next condition (names that are keywords are always quoted, so this is unambiguous).
    while (this.isWord('and')) {
      const next = this.peek(1);
      const isPath = next?.kind === 'string' || (next?.kind === 'word' && !keywords.has(next.text));
      if (!isPath) break;
      this.i++;
      list.push(this.filter());
    }
    return list;
  }

  private count(): CountRule | undefined {
    let op: CountRule['op'];
    if (this.isWord('at') && this.isWord('least', 1)) op = 'gte';
    else if (this.isWord('at') && this.isWord('most', 1)) op = 'lte';
    else if (this.isWord('exactly')) op = 'eq';
    else return undefined;
    this.i += op === 'eq' ? 1 : 2;
    const value = this.integer('a count');
    this.word('times');
    return { op, value };
  }

  private window(): TimeWindow | undefined {
    if (this.isWord('within')) {
      this.i++;
      return { kind: 'within', duration: this.duration() };
    }
    if (this.isWord('between')) {
      this.i++;
      const from = this.string('a start date');
      this.word('and');
      return { kind: 'between', from, to: this.string('an end date') };
    }
    return undefined;
  }

  private duration(): Duration {
    const amount = this.integer('a duration');
    const t = this.peek();
    const units: Record<string, DurationUnit> = {
      minute: 'minutes',
      minutes: 'minutes',
      hour: 'hours',
      hours: 'hours',
      day: 'days',
      days: 'days',
    };
    const unit = t?.kind === 'word' ? units[t.text] : undefined;
    if (!unit) throw syntax('expected minutes, hours or days', this.where());
    this.i++;
    return { amount, unit };
  }

  private filter(): Filter {
    const t = this.peek();
    let path: string;
    if (t?.kind === 'string') path = t.text;
    else if (t?.kind === 'word' && !keywords.has(t.text)) path = t.text;
    else throw syntax('expected a property or trait name', this.where());
    this.i++;
    const op = this.peek();
    if (op?.kind === 'punct') {
      const symbols: Record<string, Operator> = {
        '=': 'eq',
        '!=': 'neq',
        '<': 'lt',
        '>': 'gt',
        '<=': 'lte',
        '>=': 'gte',
      };
      const mapped = symbols[op.text];
      if (!mapped) throw syntax('expected a comparison', op.at);
      this.i++;
      return { path, op: mapped, value: this.scalar() };
    }
    if (op?.kind !== 'word') throw syntax('expected a comparison', this.where());
    this.i++;
    switch (op.text) {
      case 'exists':
        return { path, op: 'exists' };
      case 'does':
        this.word('not');
        this.word('exist');
        return { path, op: 'not_exists' };
      case 'contains':
      case 'before':
      case 'after':
        return { path, op: op.text, value: this.scalar() };
      case 'starts':
      case 'ends':
        this.word('with');
        return {
          path,
          op: op.text === 'starts' ? 'starts_with' : 'ends_with',
          value: this.scalar(),
        };
      case 'one': {
        this.word('of');
        this.punct('[');
        const list = [this.scalar()];
        while (this.isPunct(',')) {
          this.i++;
          list.push(this.scalar());
        }
        this.punct(']');
        return { path, op: 'one_of', value: list };
      }
      default:
        throw syntax(`unknown comparison "${op.text}"`, op.at);
    }
  }

  private scalar(): Scalar {
    const t = this.peek();
    if (t?.kind === 'string') {
      this.i++;
      return t.text;
    }
    if (t?.kind === 'number') {
      this.i++;
      return t.value;
    }
    if (t?.kind === 'word' && ['true', 'false', 'null'].includes(t.text)) {
      this.i++;
      return t.text === 'null' ? null : t.text === 'true';
    }
    throw syntax('expected a value', this.where());
  }
}

/**
 * Parses the text form into a condition tree. Only syntax is checked here; the tree is then
 * validated like any JSON definition (`parseCondition`).
 */
export function parseConditionText(text: string): Condition {
  if (text.length > 20_000) throw syntax('the text is longer than 20000 characters', 0);
  const parser = new Parser(tokenize(text), text.length);
  const out = parser.expr();
  parser.done();
  return out;
}
