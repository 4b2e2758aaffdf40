/** Puppet AST (owned by src/parsers/puppet). Placeholder until the parser lands. */
import type { Range } from '../location.js';
export interface PuppetProgram { type: 'Program'; body: unknown[]; range: Range }
