/**
 * INI tree with oslo.config semantics (also used for uWSGI ini): sections in order, options in order, repeated
 * keys kept (oslo.config MultiStrOpt, uWSGI repeated options), continuation lines joined into the value.
 */
import type { Range } from '../location.js';

export interface IniOption {
  /** Name as written (oslo.config option names are case-sensitive; uWSGI treats `-` and `_` alike). */
  name: string;
  /** Value with surrounding whitespace removed, continuation lines joined with `\n`; `''` for `key =`. */
  value: string;
  /** True when the value contains a masked template tag (`{{ }}`, `<%= %>`): the value is an expression. */
  templated: boolean;
  /** From the start of the name to the end of the value (last continuation line included). */
  range: Range;
  nameRange: Range;
  valueRange: Range;
}

export interface IniSection {
  /** Name as written between brackets; `DEFAULT` for oslo.config's default section. `''` for options before any header. */
  name: string;
  /** The `[name]` header; for the implicit leading section, an empty range at the start of the file. */
  range: Range;
  options: IniOption[];
}

export interface IniFile {
  sections: IniSection[];
}
