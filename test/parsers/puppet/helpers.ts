/** Shared helpers for the Puppet parser tests. */
import assert from 'node:assert/strict';
import type { Expression, PuppetProgram } from '../../../src/model/ast/puppet.js';
import { parsePuppet } from '../../../src/parsers/puppet/parse-puppet.js';

/** Parses `src`, asserts there is no error, returns the program. */
export function parseOk(src: string): PuppetProgram {
  const r = parsePuppet(src);
  assert.deepEqual(r.errors, [], `unexpected errors for:\n${src}`);
  return r.tree;
}

/** The only top-level statement of `src`, asserting its type. */
export function only<T extends Expression['type']>(src: string, type: T): Extract<Expression, { type: T }> {
  const body = parseOk(src).body;
  assert.equal(body.length, 1, `expected one statement, got ${body.map((b) => b.type).join(', ')}`);
  const first = body[0] as Expression;
  assert.equal(first.type, type);
  return first as Extract<Expression, { type: T }>;
}

/** The value of `$x = <expr>`. */
export function expr(src: string): Expression {
  return only(`$x = ${src}`, 'AssignmentExpression').right;
}

/** [line, column] of a range start. */
export function at(node: { range: { start: { line: number; column: number } } }): [number, number] {
  return [node.range.start.line, node.range.start.column];
}
