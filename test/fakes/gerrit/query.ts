/**
 * A small subset of Gerrit's query language for `GET /changes/?q=`: terms `project:`, `projects:` (prefix),
 * `branch:`, `status:open|merged|abandoned|closed`, `is:open|closed|merged|abandoned|wip`, `after:`/`since:`,
 * `before:`/`until:` (quoted timestamps), `change:`, `owner:`, `topic:`, a bare change number or Change-Id;
 * `-term`/`NOT term`, `AND` (or juxtaposition), `OR` and parentheses. Unknown operators are a 400, as in Gerrit.
 */
import { parseTimestamp } from './clock.js';
import type { Change } from './state.js';

export type Predicate = (change: Change) => boolean;

export class QueryError extends Error {}

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else if (c === '-' && /[\w("]/.test(q[i + 1] ?? '')) {
      tokens.push('-');
      i++;
    } else {
      let token = '';
      while (i < q.length && !/[\s()]/.test(q[i] as string)) {
        if (q[i] === '"' || q[i] === '{') {
          const close = q[i] === '"' ? '"' : '}';
          const end = q.indexOf(close, i + 1);
          if (end < 0) throw new QueryError(`line 1:${i} mismatched character '<EOF>' expecting '${close}'`);
          token += q.slice(i + 1, end);
          i = end + 1;
        } else {
          token += q[i];
          i++;
        }
      }
      tokens.push(token);
    }
  }
  return tokens;
}

function term(token: string): Predicate {
  const colon = token.indexOf(':');
  if (colon < 0) {
    if (/^\d+$/.test(token)) return (c) => c.number === Number(token);
    if (/^I[0-9a-f]{6,40}$/.test(token)) return (c) => c.changeId.startsWith(token);
    throw new QueryError(`Unsupported query: ${token}`);
  }
  const op = token.slice(0, colon).toLowerCase();
  const value = token.slice(colon + 1);
  switch (op) {
    case 'project':
      return (c) => c.project === value;
    case 'projects':
      return (c) => c.project.startsWith(value);
    case 'branch':
      return (c) => c.branch === value.replace(/^refs\/heads\//, '');
    case 'topic':
      return (c) => c.topic === value;
    case 'change':
      return /^\d+$/.test(value) ? (c) => c.number === Number(value) : (c) => c.changeId === value;
    case 'owner':
      return (c) => c.owner.username === value || c.owner.email === value || String(c.owner._account_id) === value;
    case 'status':
    case 'is':
      switch (value.toLowerCase()) {
        case 'open':
        case 'new':
          return (c) => c.status === 'NEW';
        case 'closed':
          return (c) => c.status !== 'NEW';
        case 'merged':
          return (c) => c.status === 'MERGED';
        case 'abandoned':
          return (c) => c.status === 'ABANDONED';
        case 'wip':
          if (op === 'is') return (c) => c.wip;
          break;
      }
      throw new QueryError(`Unrecognized value: ${value}`);
    case 'after':
    case 'since':
    case 'before':
    case 'until': {
      const t = parseTimestamp(value);
      if (Number.isNaN(t)) throw new QueryError(`Invalid timestamp: ${value}`);
      // Gerrit keeps only whole seconds of the bound; both ends are inclusive.
      const bound = Math.floor(t / 1000) * 1000;
      return op === 'after' || op === 'since' ? (c) => c.updated >= bound : (c) => c.updated <= bound + 999;
    }
    default:
      throw new QueryError(`Unsupported operator ${op}:${value}`);
  }
}

/** Parses a query into a predicate; throws QueryError (answered 400) on what it does not understand. */
export function parseQuery(q: string): Predicate {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];

  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peek() === 'OR' || peek() === 'or') {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (c) => parts.some((p) => p(c));
  };
  const andExpr = (): Predicate => {
    const parts = [unary()];
    for (;;) {
      const t = peek();
      if (t === undefined || t === ')' || t === 'OR' || t === 'or') break;
      if (t === 'AND' || t === 'and') pos++;
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as Predicate) : (c) => parts.every((p) => p(c));
  };
  const unary = (): Predicate => {
    const t = peek();
    if (t === undefined) throw new QueryError('line 1:0 no viable alternative at input');
    pos++;
    if (t === '-' || t === 'NOT' || t === 'not') {
      const inner = unary();
      return (c) => !inner(c);
    }
    if (t === '(') {
      const inner = orExpr();
      if (peek() !== ')') throw new QueryError("missing ')'");
      pos++;
      return inner;
    }
    return term(t);
  };

  const predicate = orExpr();
  if (pos !== tokens.length) throw new QueryError(`Unexpected token: ${tokens[pos]}`);
  return predicate;
}
