/** Public API of the Puppet parser. */
export { parsePuppet } from './parse-puppet.js';
export { lexPuppet } from './lexer.js';
export type { LexResult, RawComment, LexError } from './lexer.js';
export type { Token, TokenKind } from './token.js';
export { literalValue, literalData } from './literal-value.js';
export type { PuppetScalar, PuppetData } from './literal-value.js';
export { walkPuppet, puppetChildren } from './walk-puppet.js';
export type { PuppetVisitor } from './walk-puppet.js';
