/**
 * Resource declarations (`file { 'a': ... ; 'b': ... }`, `class { 'x': }`, `@`/`@@` forms), resource
 * defaults (`File { ... }`), overrides (`File['x'] { ... }`) and collectors (`Package <| tag == 'x' |>`).
 */
import type {
  AttributeEntry, Collector, Expression, QualifiedReference, ResourceBody, ResourceDefaults, ResourceExpression,
  ResourceOverride,
} from '../../model/ast/puppet.js';
import type { ParserState } from './parser-state.js';
import { parseExpression, stripColons } from './parse-expression.js';

/** `[@|@@] type { title: attrs; ... }`, at the `@`/`@@` or the type name. */
export function parseResource(s: ParserState): ResourceExpression {
  const first = s.peek();
  let form: ResourceExpression['form'] = 'regular';
  if (first.kind === '@' || first.kind === '@@') {
    s.next();
    form = first.kind === '@' ? 'virtual' : 'exported';
  }
  const typeTok = s.next();
  if (typeTok.kind !== 'NAME') s.unexpected(typeTok);
  s.expect('{', "'{' after the resource type");
  const bodies: ResourceBody[] = [];
  s.withBrace(false, () => {
    while (!s.at('}')) {
      const title = parseExpression(s);
      s.expect(':', "':' after the resource title");
      const attributes = parseAttributes(s);
      bodies.push({ type: 'ResourceBody', title, attributes, range: s.range(title.range.start.offset) });
      if (!s.accept(';')) break;
    }
  });
  s.expect('}', "'}' closing the resource");
  return {
    type: 'ResourceExpression', typeName: stripColons(typeTok.value), typeNameRange: s.range(typeTok.start, typeTok.end),
    form, bodies, range: s.range(first.start),
  };
}

/** `name => value, name +> value, * => hash` up to `}` or `;` (not consumed); trailing comma allowed. */
export function parseAttributes(s: ParserState): AttributeEntry[] {
  const attrs: AttributeEntry[] = [];
  for (;;) {
    const t = s.peek();
    if (t.kind === '}' || t.kind === ';' || t.kind === 'EOF') return attrs;
    s.next();
    if (t.kind === '*') {
      s.expect('=>', "'=>' after '*'");
      const value = parseExpression(s);
      attrs.push({ type: 'AttributesOperation', value, range: s.range(t.start) });
    } else {
      if (t.kind !== 'NAME' && t.kind !== 'WORD') s.failAt(t, `expected an attribute name but found '${s.text.slice(t.start, t.end)}'`);
      const op = s.next();
      if (op.kind !== '=>' && op.kind !== '+>') s.failAt(op, `expected '=>' after attribute '${t.value}'`);
      const value = parseExpression(s);
      attrs.push({
        type: 'AttributeOperation', name: t.value, nameRange: s.range(t.start, t.end), operator: op.kind, value,
        range: s.range(t.start),
      });
    }
    if (!s.accept(',')) return attrs;
  }
}

function parseAttributeBlock(s: ParserState): AttributeEntry[] {
  s.expect('{');
  const attrs = s.withBrace(false, () => parseAttributes(s));
  s.expect('}', "'}' closing the attributes");
  return attrs;
}

export function parseResourceDefaults(s: ParserState, typeRef: QualifiedReference): ResourceDefaults {
  const attributes = parseAttributeBlock(s);
  return { type: 'ResourceDefaults', typeRef, attributes, range: s.range(typeRef.range.start.offset) };
}

export function parseResourceOverride(s: ParserState, resource: Expression): ResourceOverride {
  const attributes = parseAttributeBlock(s);
  return { type: 'ResourceOverride', resource, attributes, range: s.range(resource.range.start.offset) };
}

export function parseCollector(s: ParserState, typeRef: QualifiedReference): Collector {
  const open = s.next();
  const exported = open.kind === '<<|';
  const close = exported ? '|>>' : '|>';
  const node: Collector = { type: 'Collector', typeRef, exported, overrides: [], range: typeRef.range };
  if (!s.at(close)) node.query = s.withBrace(false, () => parseExpression(s));
  s.expect(close, `'${close}' closing the collector`);
  if (s.at('{') && !s.noBrace) node.overrides = parseAttributeBlock(s);
  node.range = s.range(typeRef.range.start.offset);
  return node;
}
