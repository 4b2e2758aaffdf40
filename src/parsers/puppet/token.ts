/**
 * Tokens of the Puppet lexer. Operators and punctuation use their own text as `kind` (`'=>'`, `'{'`);
 * words, variables, strings and numbers have a named kind and a `value`.
 *
 * Interpolated strings are flattened as Puppet's own lexer does: `"a${x}b$y"` is
 * DQPRE('a') <tokens of x> DQMID('b') VARIABLE(y) DQPOST(''). A `${` opening is the token `'${'` and the
 * matching close is `'}'` of kind INTERP_END, so the parser knows where the embedded expression stops.
 */
export type TokenKind =
  | 'NAME' // lowercase bare word (keywords included): foo, foo::bar, ::foo, if, class
  | 'WORD' // bare word that is not a valid name (hyphens, leading underscore): foo-bar
  | 'CLASSREF' // capitalised reference: File, Stdlib::Port
  | 'VARIABLE' // $name; value is the name without `$`
  | 'STRING' // single-quoted, or double-quoted without interpolation; value is the processed text
  | 'DQPRE' // text before the first interpolation of a double-quoted string / heredoc
  | 'DQMID' // text between two interpolations
  | 'DQPOST' // text after the last interpolation (ends the string)
  | 'INTERP_START' // `${` inside a string
  | 'INTERP_END' // `}` closing `${`
  | 'HEREDOC' // `@(TAG)`; the body follows as STRING, or DQPRE ... DQPOST when interpolated
  | 'NUMBER'
  | 'REGEX' // value is the pattern without slashes
  | 'EOF'
  | '{' | '}' | '[' | ']' | '(' | ')' | ',' | ';' | ':' | '?' | '.' | '|' | '@' | '@@'
  | '=' | '+=' | '-=' | '=>' | '+>' | '==' | '!=' | '=~' | '!~' | '!' | '<' | '<=' | '>' | '>='
  | '<<' | '>>' | '+' | '-' | '*' | '/' | '%' | '->' | '~>' | '<-' | '<~'
  | '<|' | '|>' | '<<|' | '|>>';

export interface Token {
  kind: TokenKind;
  /** Text value for words, variables, strings, regexes; number value for NUMBER. */
  value: string;
  /** 0-based offsets into the source, end exclusive. */
  start: number;
  end: number;
  /** True when whitespace, a comment or the start of input precedes the token (`[`/`(` after a space start a new expression). */
  spaceBefore: boolean;
  /** Extra data: for STRING, the quote (`'` or `"`); for HEREDOC, `tag|syntax|interpolated(0/1)`. */
  extra?: string;
}
