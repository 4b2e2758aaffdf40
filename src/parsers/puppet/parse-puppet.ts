/**
 * Entry point of the Puppet parser: `parsePuppet(text)` returns the Program and every lexical and
 * syntax error met. It never throws; a failed statement becomes an error and parsing resumes at the next
 * statement.
 */
import type { Comment, PuppetProgram } from '../../model/ast/puppet.js';
import type { ParseResult } from '../../model/parse-result.js';
import { lexPuppet } from './lexer.js';
import { ParserState } from './parser-state.js';
import { parseStatements } from './parse-statement.js';
import { LineIndex } from '../line-index.js';

export function parsePuppet(text: string): ParseResult<PuppetProgram> {
  const src = typeof text === 'string' ? text : String(text ?? '');
  try {
    const lexed = lexPuppet(src);
    const s = new ParserState(src, lexed.tokens);
    const body = parseStatements(s, false);
    const comments: Comment[] = lexed.comments.map((c) => ({
      type: 'Comment', style: c.style, text: c.text, range: s.loc.range(c.start, c.end),
    }));
    const lexErrors = lexed.errors.map((e) => ({ message: e.message, range: s.loc.range(e.start, e.end) }));
    const errors = [...lexErrors, ...s.errors].sort((a, b) => a.range.start.offset - b.range.start.offset);
    return { tree: { type: 'Program', body, comments, range: s.loc.range(0, src.length) }, errors };
  } catch (e) {
    const loc = new LineIndex(src);
    return {
      tree: { type: 'Program', body: [], comments: [], range: loc.range(0, src.length) },
      errors: [{ message: `internal parser error: ${(e as Error)?.message ?? String(e)}`, range: loc.range(0, 0) }],
    };
  }
}
