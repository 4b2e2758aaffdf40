/**
 * Apache httpd configuration tree: directives and nested sections (`<IfModule>`, `<VirtualHost>`,
 * `<Location>` ...), with backslash continuations joined and quoted arguments unquoted.
 */
import type { Range } from '../location.js';

export interface ApacheArgument {
  /** The argument with quotes removed and escapes resolved. */
  value: string;
  /** As written, quotes included. */
  raw: string;
  /** True when it contains a masked template tag (`<%= @threads %>`, `{{ x }}`): its value is unknown. */
  templated: boolean;
  range: Range;
}

export interface ApacheDirective {
  type: 'directive';
  /** As written; compare case-insensitively (httpd directive names are). */
  name: string;
  args: ApacheArgument[];
  /** The whole directive, continuation lines included. */
  range: Range;
  nameRange: Range;
}

export interface ApacheSection {
  type: 'section';
  /** `IfModule`, `VirtualHost`, `Location` ... as written. */
  name: string;
  args: ApacheArgument[];
  children: ApacheNode[];
  /** From `<Name` to the end of `</Name>` (or end of file when unclosed, with a parse error). */
  range: Range;
  /** The opening tag line. */
  openRange: Range;
}

export type ApacheNode = ApacheDirective | ApacheSection;

export interface ApacheConfig {
  children: ApacheNode[];
}
