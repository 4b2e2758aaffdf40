/**
 * Canonical facts from Puppet's PN JSON (`puppet parser dump --format json`) and from our AST, so the
 * two can be compared: one string per resource body and per class/define parameter.
 *
 * PN: `{"^": [op, ...args]}` is a node, `{"#": [k1, v1, k2, v2, ...]}` a map, JSON scalars are literals.
 */
import type { Expression, PuppetProgram, PuppetNode } from '../src/model/ast/puppet.js';
import { walkPuppet } from '../src/parsers/puppet/walk-puppet.js';

type PN = unknown;

function pnOp(v: PN): [string, PN[]] | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v) && '^' in v) {
    const arr = (v as { '^': PN[] })['^'];
    return [arr[0] as string, arr.slice(1)];
  }
  return undefined;
}

function pnMap(v: PN): Record<string, PN> {
  const out: Record<string, PN> = {};
  if (v && typeof v === 'object' && '#' in v) {
    const arr = (v as { '#': PN[] })['#'];
    for (let i = 0; i + 1 < arr.length; i += 2) out[String(arr[i])] = arr[i + 1];
  }
  return out;
}

function pnEntries(v: PN): Array<[string, PN]> {
  const out: Array<[string, PN]> = [];
  if (v && typeof v === 'object' && '#' in v) {
    const arr = (v as { '#': PN[] })['#'];
    for (let i = 0; i + 1 < arr.length; i += 2) out.push([String(arr[i]), arr[i + 1]]);
  }
  return out;
}

const noColons = (s: string): string => (s.startsWith('::') ? s.slice(2) : s);
const OTHER = '*';
const LAMBDA = '{lambda}';
const BINARY = new Set(['+', '*', '/', '%', '<<', '>>', '==', '!=', '<', '<=', '>', '>=', '=~', '!~', 'in', 'and', 'or']);
const KEYWORDS = new Set(['type', 'function', 'attr', 'private', 'node', 'define', 'class', 'application', 'site', 'consumes', 'produces']);

/** Canonical text of a PN value. */
export function canonPn(v: PN): string {
  if (v === null) return 'undef';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const op = pnOp(v);
  if (!op) return OTHER;
  const [name, args] = op;
  switch (name) {
    case 'int': case 'float': return String(pnMap(args[0]).value);
    case 'default': return 'default';
    case 'qn': return `qn:${String(args[0])}`;
    case 'qr': return `qr:${String(args[0])}`;
    case 'var': return `$${String(args[0])}`;
    case 'regexp': return `re:${String(args[0])}`;
    case 'array': return `[${args.map(canonPn).join(',')}]`;
    case 'hash': return `{${args.map((e) => { const p = pnOp(e)?.[1] ?? []; return `${canonPn(p[0])}=>${canonPn(p[1])}`; }).join(',')}}`;
    case 'concat': return `concat(${args.map((a) => { const s = pnOp(a); return s && s[0] === 'str' ? `\${${canonPn(s[1][0])}}` : canonPn(a); }).join(',')})`;
    case 'heredoc': return `heredoc(${canonPn(pnMap(args[0]).text)})`;
    case 'access': return `${canonPn(args[0])}[${args.slice(1).map(canonPn).join(',')}]`;
    case 'call': {
      const m = pnMap(args[0]);
      return `call:${canonPn(m.functor)}(${((m.args as PN[]) ?? []).map(canonPn).join(',')})${m.block ? LAMBDA : ''}`;
    }
    case 'call-method': {
      const m = pnMap(args[0]);
      const dot = pnOp(m.functor);
      if (!dot || dot[0] !== '.') return OTHER;
      const name = pnOp(dot[1][1]);
      return `${canonPn(dot[1][0])}.${String(name?.[1][0])}(${((m.args as PN[]) ?? []).map(canonPn).join(',')})${m.block ? LAMBDA : ''}`;
    }
    case 'paren': return canonPn(args[0]);
    case '!': return `!(${canonPn(args[0])})`;
    case '?': return `sel(${canonPn(args[0])}|${((args[1] as PN[]) ?? []).map((e) => { const p = pnOp(e)?.[1] ?? []; return `${canonPn(p[0])}=>${canonPn(p[1])}`; }).join(',')})`;
    case '-': return args.length === 1 ? `-(${canonPn(args[0])})` : `(${canonPn(args[0])} - ${canonPn(args[1])})`;
    default:
      if (BINARY.has(name) && args.length === 2) return `(${canonPn(args[0])} ${name} ${canonPn(args[1])})`;
      return OTHER;
  }
}

/** Canonical text of one of our expressions, matching canonPn. */
export function canonOurs(e: Expression | undefined): string {
  if (!e) return 'undef';
  switch (e.type) {
    case 'LiteralString': return JSON.stringify(e.value);
    case 'LiteralNumber': return String(e.value);
    case 'LiteralBoolean': return String(e.value);
    case 'LiteralUndef': return 'undef';
    case 'LiteralDefault': return 'default';
    // Puppet turns bare words that are not valid names (`present-ish`) into plain strings.
    // Keywords used as bare words (`type => ...` in a hash) are strings too.
    case 'QualifiedName':
      return /^(::)?[a-z]\w*(::[a-z]\w*)*$/.test(e.value) && !KEYWORDS.has(e.value) ? `qn:${e.value}` : JSON.stringify(e.value);
    case 'QualifiedReference': return `qr:${e.value}`;
    case 'VariableExpression': return `$${e.name}`;
    case 'LiteralRegex': return `re:${e.pattern}`;
    case 'LiteralList': return `[${e.elements.map(canonOurs).join(',')}]`;
    case 'LiteralHash': return `{${e.entries.map((x) => `${canonOurs(x.key)}=>${canonOurs(x.value)}`).join(',')}}`;
    case 'ConcatenatedString':
      return `concat(${e.segments.map((s) => (s.type === 'StringSegment' ? JSON.stringify(s.value) : `\${${canonOurs(s.expression)}}`)).join(',')})`;
    case 'Heredoc': return `heredoc(${canonOurs(e.text)})`;
    case 'AccessExpression': return `${canonOurs(e.target)}[${e.keys.map(canonOurs).join(',')}]`;
    case 'CallNamedFunction':
      if (e.style !== 'call') return OTHER;
      return `call:${/^[A-Z]/.test(e.name) ? 'qr' : 'qn'}:${e.name}(${e.arguments.map(canonOurs).join(',')})${e.lambda ? LAMBDA : ''}`;
    case 'CallMethod':
      return `${canonOurs(e.receiver)}.${e.name}(${e.arguments.map(canonOurs).join(',')})${e.lambda ? LAMBDA : ''}`;
    case 'Selector':
      return `sel(${canonOurs(e.left)}|${e.entries.map((x) => `${canonOurs(x.matching)}=>${canonOurs(x.value)}`).join(',')})`;
    case 'BinaryExpression':
      return `(${canonOurs(e.left)} ${e.operator} ${canonOurs(e.right)})`;
    case 'ParenthesizedExpression': return canonOurs(e.expression);
    case 'UnaryExpression':
      if (e.operator === '-') {
        if (e.operand.type === 'LiteralNumber') return String(-e.operand.value);
        return `-(${canonOurs(e.operand)})`;
      }
      if (e.operator === '!') return `!(${canonOurs(e.operand)})`;
      return OTHER;
    default: return OTHER;
  }
}

/** Facts from Puppet's dump. */
export function extractPuppet(root: PN): string[] {
  const out: string[] = [];
  const stack: PN[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    const op = pnOp(v);
    if (op) {
      const [name, args] = op;
      if (name === 'resource') {
        const m = pnMap(args[0]);
        const typeOp = pnOp(m.type);
        const typeName = typeOp && typeOp[0] === 'qn' ? noColons(String(typeOp[1][0])) : canonPn(m.type);
        const form = typeof m.form === 'string' ? m.form : 'regular';
        for (const b of (m.bodies as PN[]) ?? []) {
          const bm = pnMap(b);
          const ops = ((bm.ops as PN[]) ?? []).map((o) => {
            const p = pnOp(o);
            if (!p) return OTHER;
            if (p[0] === 'splat-hash') return `*=>${canonPn(p[1][0])}`;
            return `${String(p[1][0])}${p[0]}${canonPn(p[1][1])}`;
          });
          out.push(`resource ${typeName} ${form} title=${canonPn(bm.title)} ${ops.join(' ')}`);
        }
      } else if (name === 'class' || name === 'define') {
        const m = pnMap(args[0]);
        for (const [pname, spec] of pnEntries(m.params)) {
          const sm = pnMap(spec);
          out.push(`param ${name} ${noColons(String(m.name))} $${pname}=${'value' in sm ? canonPn(sm.value) : '-'}`);
        }
      }
      for (const a of args) stack.push(a);
    } else if ('#' in v) {
      for (const [, x] of pnEntries(v)) stack.push(x);
    }
  }
  return out.sort();
}

/** Facts from our AST. */
export function extractOurs(tree: PuppetProgram): string[] {
  const out: string[] = [];
  walkPuppet(tree, (n: PuppetNode) => {
    if (n.type === 'ResourceExpression') {
      for (const b of n.bodies) {
        const ops = b.attributes.map((a) => (a.type === 'AttributesOperation' ? `*=>${canonOurs(a.value)}` : `${a.name}${a.operator}${canonOurs(a.value)}`));
        out.push(`resource ${n.typeName} ${n.form} title=${canonOurs(b.title)} ${ops.join(' ')}`);
      }
    } else if (n.type === 'HostClassDefinition' || n.type === 'ResourceTypeDefinition') {
      const kind = n.type === 'HostClassDefinition' ? 'class' : 'define';
      for (const p of n.parameters) out.push(`param ${kind} ${n.name} $${p.name}=${p.default ? canonOurs(p.default) : '-'}`);
    }
  });
  return out.sort();
}
