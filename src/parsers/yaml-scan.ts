/**
 * scanYaml: a fast, allocation-light syntax check of the YAML most deployment files are written in, so parseYaml
 * can skip building the `yaml` package's documents for files nothing reads (Ansible variables, hieradata without a
 * key knowledge maps) and build them only when a consumer asks (src/parsers/yaml.ts, `LazyYamlFile`).
 *
 * The contract is one-sided: `scanYaml(text)` returns a result only when it is sure the `yaml` package (as
 * parseYaml configures it) reads `text` with no error, no warning, no duplicate key and no alias, so parseYaml's
 * errors are empty; for anything it does not fully understand it returns `undefined` and parseYaml parses the text
 * with the `yaml` package right away, exactly as before. It is never wrong about a valid file being invalid: it
 * never reports errors at all.
 *
 * Understood (the common block style of hieradata, heat environments and Ansible variables): block mappings and
 * sequences (also a sequence at its key's indentation and compact `- key: v` / `- - x`), plain scalars on one
 * line, single- and double-quoted scalars on one line (with valid escapes), flow collections (over several
 * lines too, when each continuation line is indented more than the enclosing block and holds no comment),
 * literal and folded block scalars without an indentation indicator, comments, blank lines and `---` document
 * markers, local tags (`!Ref`) before a value on its key's line. Everything else (tabs, CR, BOMs and other
 * control characters, directives, content after `...`, other tags, anchors,
 * aliases, merge keys, complex `?` keys, multi-line plain and quoted scalars,
 * scalars as a document's root, implicit keys over 1024 characters, two keys of one map that may resolve to the
 * same value) makes it give up, so the `yaml` package decides.
 *
 * Besides the verdict it returns the root mapping keys of every document, as the `yaml` package would give
 * `String(pair.key.value)` for them, so the hieradata extractor can tell without a tree that no key it knows is
 * there. Plain keys that YAML 1.1 may resolve to a number, boolean or null are not listed as such: their
 * presence makes `topLevelKeys` undefined.
 */

export interface YamlScan {
  /** Keys of the root mappings of all documents, in order; undefined when one of them may not be a string. */
  topLevelKeys: string[] | undefined;
  /**
   * [start, end) of every key that repeats an earlier key of its mapping (the only error a clean scan can find),
   * in document order: parseYaml reports them as its own duplicate-key check does.
   */
  duplicates: Array<[number, number]>;
}

/** Characters that make the scan give up wherever they are: tabs, CR, other C0/C1 controls, BOM, line separators. */
const UNUSUAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** Plain keys YAML 1.1 (or 1.2) may resolve to something other than a string: numbers, booleans, null. */
const MAY_NOT_BE_STRING = /^(?:[-+.~0-9]|(?:y|n|yes|no|true|false|on|off|null)$)/i;
const MAX_FLOW_DEPTH = 32;
const MAX_IMPLICIT_KEY = 1024;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const PIPE = 124;
const GT = 62;

/** Thrown inside the scan to give up; caught once at the top. */
const UNSURE = new Error('unsure');

const enum Kind {
  Map = 0,
  Seq = 1,
}
const enum Pending {
  None = 0,
  MapValue = 1,
  SeqEntry = 2,
}

/** Is this a character that cannot start a plain scalar in block context (or that the scan does not follow)? */
function isIndicatorStart(c: number): boolean {
  switch (c) {
    case 35: // #
    case 38: // &
    case 42: // *
    case 33: // !
    case 37: // %
    case 64: // @
    case 96: // `
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
    case 124: // |
    case 62: // >
    case 63: // ?
    case 58: // :
    case 34: // "
    case 39: // '
      return true;
    default:
      return false;
  }
}

/** `:x`, `?x`: a plain scalar may start with `:` or `?` followed by a non-blank; the scan accepts a word character. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Can a plain scalar (in block context) start at `i`? */
function plainStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 58 || c === 63) return isWordChar(text.charCodeAt(i + 1));
  return !isIndicatorStart(c);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Verdict on `text` (already template-masked); see the file header. */
export function scanYaml(text: string): YamlScan | undefined {
  if (UNUSUAL.test(text)) return undefined;
  try {
    return new Scanner(text).run();
  } catch {
    // UNSURE; or anything else (a stack overflow on absurd nesting, which parseYaml's depth check refuses before
    // asking): the yaml package decides either way.
    return undefined;
  }
}

class Scanner {
  private readonly n: number;
  // The open block collections, innermost last.
  private readonly indents: number[] = [];
  private readonly kinds: Kind[] = [];
  /** A sequence that is a mapping value at its key's own indentation (`key:\n- a`). */
  private readonly atKeyIndent: boolean[] = [];
  /** Per mapping: its keys, each with whether it is a plain scalar that may not resolve to a string. */
  private readonly keySets: Array<Map<string, boolean> | null> = [];
  private readonly maybeNonString: number[] = [];
  /** The same count for the flow mappings being read, by flow nesting depth. */
  private readonly flowMaybeNonString: number[] = [];
  private pending: Pending = Pending.None;
  private pendingIndent = -1;
  /** The current document already has its root collection. */
  private rootDone = false;
  /** After a `...` document end marker, before the next `---`. */
  private ended = false;
  private lineStart = 0;
  private topLevelKeys: string[] | undefined = [];
  private readonly duplicates: Array<[number, number]> = [];

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  run(): YamlScan {
    const { text, n } = this;
    let pos = 0;
    while (pos < n) {
      let eol = text.indexOf('\n', pos);
      if (eol === -1) eol = n;
      this.lineStart = pos;
      let i = pos;
      while (i < eol && text.charCodeAt(i) === SPACE) i++;
      if (i === eol || text.charCodeAt(i) === HASH) {
        pos = eol + 1;
        continue;
      }
      const indent = i - pos;
      if (indent === 0) {
        const c = text.charCodeAt(i);
        if (c === 37 /* % */) throw UNSURE;
        if ((c === DASH || c === 46) && (text.startsWith('---', i) || text.startsWith('...', i))) {
          // `---` or `...` alone, or followed by blanks and a comment: a new document, or the end of one (then
          // only comments or a `---` may follow).
          let j = i + 3;
          if (j < eol && text.charCodeAt(j) !== SPACE) throw UNSURE;
          while (j < eol && text.charCodeAt(j) === SPACE) j++;
          this.newDocument();
          this.ended = c !== DASH;
          const d = text.charCodeAt(j);
          if (j < eol && c === DASH && (d === LBRACKET || d === LBRACE)) {
            pos = this.node(j, eol, -1, false); // `--- {}`
            continue;
          }
          if (j < eol && d !== HASH) throw UNSURE;
          pos = eol + 1;
          continue;
        }
      }
      if (this.ended) throw UNSURE;
      pos = this.line(i, eol, indent);
    }
    return { topLevelKeys: this.topLevelKeys, duplicates: this.duplicates };
  }

  private newDocument(): void {
    this.indents.length = 0;
    this.kinds.length = 0;
    this.atKeyIndent.length = 0;
    this.keySets.length = 0;
    this.maybeNonString.length = 0;
    this.pending = Pending.None;
    this.rootDone = false;
  }

  private push(kind: Kind, indent: number, atKeyIndent = false): void {
    this.indents.push(indent);
    this.kinds.push(kind);
    this.atKeyIndent.push(atKeyIndent);
    this.keySets.push(kind === Kind.Map ? new Map() : null);
    this.maybeNonString.push(0);
  }

  private pop(): void {
    this.indents.pop();
    this.kinds.pop();
    this.atKeyIndent.pop();
    this.keySets.pop();
    this.maybeNonString.pop();
  }

  /** One content line whose first non-blank is at `i`; returns where the next line to read starts. */
  private line(i: number, eol: number, indent: number): number {
    if (this.pending !== Pending.None) {
      const parent = this.pendingIndent;
      const pending = this.pending;
      this.pending = Pending.None;
      if (indent > parent) return this.node(i, eol, parent, true);
      if (indent === parent && pending === Pending.MapValue && this.isSeqIndicator(i, eol)) {
        this.push(Kind.Seq, indent, true);
        return this.seqEntry(i, eol);
      }
      // Otherwise the value was empty (null) and this line continues an enclosing collection.
    }
    while (this.indents.length > 0 && this.indents[this.indents.length - 1]! > indent) this.pop();
    const depth = this.indents.length;
    if (depth === 0) {
      if (this.rootDone) throw UNSURE; // a second root node: an error
      return this.node(i, eol, -1, false);
    }
    if (this.indents[depth - 1]! < indent) throw UNSURE; // a continuation line, or an error
    if (this.kinds[depth - 1] === Kind.Seq) {
      if (this.isSeqIndicator(i, eol)) return this.seqEntry(i, eol);
      if (!this.atKeyIndent[depth - 1]) throw UNSURE;
      this.pop(); // `key:\n- a\nnext: b`: the mapping below, at the same indentation, goes on
    }
    if (this.isSeqIndicator(i, eol)) throw UNSURE;
    const after = this.key(i, eol);
    if (after < 0) throw UNSURE;
    this.addKey();
    return this.mapValue(after, eol, indent);
  }

  private isSeqIndicator(i: number, eol: number): boolean {
    return this.text.charCodeAt(i) === DASH && (i + 1 === eol || this.text.charCodeAt(i + 1) === SPACE);
  }

  /**
   * A node that starts at `i` where a block collection may start: a sequence entry, a compact or block mapping,
   * or (`scalarOk`) a scalar value. `parent` is the indentation of the enclosing collection (-1 at the root).
   */
  private node(i: number, eol: number, parent: number, scalarOk: boolean): number {
    const col = i - this.lineStart;
    if (this.isSeqIndicator(i, eol)) {
      if (parent === -1) this.rootDone = true;
      this.push(Kind.Seq, col);
      return this.seqEntry(i, eol);
    }
    const after = this.key(i, eol);
    if (after >= 0) {
      if (parent === -1) this.rootDone = true;
      this.push(Kind.Map, col);
      this.addKey();
      return this.mapValue(after, eol, col);
    }
    const c = this.text.charCodeAt(i);
    if (!scalarOk) {
      // A document's root: a flow collection on one line (`{}`, `--- []`), never a scalar here.
      if (parent !== -1 || (c !== LBRACKET && c !== LBRACE)) throw UNSURE;
      this.rootDone = true;
      const [end, endEol] = this.flowCollection(i, eol, -1);
      if (c === LBRACE && !/^\{ *\}$/.test(this.text.slice(i, end))) this.topLevelKeys = undefined;
      return this.trailing(end, endEol);
    }
    if (c === PIPE || c === GT) throw UNSURE; // a block scalar on a line of its own
    return this.value(i, eol, parent);
  }

  /** `- ...` at `i`, the innermost collection being that sequence. */
  private seqEntry(i: number, eol: number): number {
    const { text } = this;
    const seqIndent = i - this.lineStart;
    let j = i + 1;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) {
      this.pending = Pending.SeqEntry;
      this.pendingIndent = seqIndent;
      return eol + 1;
    }
    const c = text.charCodeAt(j);
    if (c === PIPE || c === GT) return this.blockScalar(j, eol, seqIndent); // `- |`
    return this.node(j, eol, seqIndent, true);
  }

  /** After `key:` (at `j`) of a mapping indented `mapIndent`. */
  private mapValue(j: number, eol: number, mapIndent: number): number {
    const { text } = this;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j === eol || text.charCodeAt(j) === HASH) {
      this.pending = Pending.MapValue;
      this.pendingIndent = mapIndent;
      return eol + 1;
    }
    if (text.charCodeAt(j) === 33 /* ! */) j = this.localTag(j, eol);
    return this.value(j, eol, mapIndent);
  }

  /**
   * `!Name` and a blank before a value on the same line (`!Ref X`, `!GetAtt [a, b]`, `!binary |`): a local tag.
   * The yaml package knows no local tag (parseYaml's schema has only `tag:yaml.org,2002:` ones), so it only warns
   * TAG_RESOLVE_FAILED, which parseYaml ignores, and reads the value untagged. Returns where the value starts.
   */
  private localTag(j: number, eol: number): number {
    const { text } = this;
    let k = j + 1;
    if (!isWordChar(text.charCodeAt(k))) throw UNSURE; // `!!str`, `!<verbatim>`, `!e!handle`, a lone `!`
    while (k < eol && (isWordChar(text.charCodeAt(k)) || text.charCodeAt(k) === DASH)) k++;
    if (k >= eol || text.charCodeAt(k) !== SPACE) throw UNSURE;
    while (k < eol && text.charCodeAt(k) === SPACE) k++;
    if (k >= eol || text.charCodeAt(k) === HASH) throw UNSURE; // a tag on a value of the next lines
    return k;
  }

  /**
   * If a mapping key starts at `i` (plain or quoted, then `:` and a blank or the line's end), the offset just past
   * the `:`; -1 when it is not a key. The key's text is left in `lastKey`.
   */
  private lastKey = '';
  private lastKeyMaybeNonString = false;
  private lastKeyStart = 0;
  private lastKeyEnd = 0;
  private key(i: number, eol: number): number {
    const { text } = this;
    const c = text.charCodeAt(i);
    let end: number;
    if (c === DQUOTE || c === SQUOTE) {
      end = c === DQUOTE ? this.doubleQuoted(i, eol) : this.singleQuoted(i, eol);
      let j = end;
      while (j < eol && text.charCodeAt(j) === SPACE) j++;
      if (j >= eol || text.charCodeAt(j) !== COLON) return -1;
      if (j + 1 < eol && text.charCodeAt(j + 1) !== SPACE) throw UNSURE;
      const body = text.slice(i + 1, end - 1);
      if (c === DQUOTE && body.includes('\\')) throw UNSURE;
      this.lastKey = c === SQUOTE ? body.replaceAll("''", "'") : body;
      this.lastKeyMaybeNonString = false;
      this.lastKeyStart = i;
      this.lastKeyEnd = end;
      if (j - i > MAX_IMPLICIT_KEY) throw UNSURE;
      return j + 1;
    }
    if (c === PIPE || c === GT || c === LBRACKET || c === LBRACE) return -1; // values: the caller reads them
    if (!plainStart(text, i)) throw UNSURE;
    if (c === DASH && (i + 1 === eol || text.charCodeAt(i + 1) === SPACE)) throw UNSURE;
    for (let j = i + 1; j < eol; j++) {
      const d = text.charCodeAt(j);
      if (d === COLON) {
        if (j + 1 === eol || text.charCodeAt(j + 1) === SPACE) {
          if (j - i > MAX_IMPLICIT_KEY) throw UNSURE;
          let k = j;
          while (text.charCodeAt(k - 1) === SPACE) k--;
          const key = text.slice(i, k);
          if (key === '<<') throw UNSURE;
          this.lastKey = key;
          this.lastKeyMaybeNonString = MAY_NOT_BE_STRING.test(key);
          this.lastKeyStart = i;
          this.lastKeyEnd = k;
          return j + 1;
        }
      } else if (d === HASH && text.charCodeAt(j - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** Records `lastKey` in the innermost block mapping. */
  private addKey(): void {
    const depth = this.indents.length - 1;
    this.recordKey(this.keySets[depth]!, this.maybeNonString, depth);
    if (depth === 0 && this.topLevelKeys !== undefined) {
      if (this.lastKeyMaybeNonString) this.topLevelKeys = undefined;
      else this.topLevelKeys.push(this.lastKey);
    }
  }

  /**
   * Adds `lastKey` to a mapping's keys. A key equal to an earlier one (both strings, or both plain and written
   * alike) is a duplicate: recorded, and false returned. A key that may equal an earlier one once resolved (two
   * plain keys that may be numbers, booleans or null; `'1'` and `1`) makes the scan give up.
   */
  private recordKey(keys: Map<string, boolean>, counts: number[], index: number): boolean {
    const key = this.lastKey;
    const maybe = this.lastKeyMaybeNonString;
    const earlier = keys.get(key);
    if (earlier !== undefined) {
      if (earlier !== maybe) throw UNSURE;
      this.duplicates.push([this.lastKeyStart, this.lastKeyEnd]);
      return false;
    }
    keys.set(key, maybe);
    if (maybe) {
      const count = (counts[index] ?? 0) + 1;
      if (count > 1) throw UNSURE;
      counts[index] = count;
    }
    return true;
  }

  /** A value on the rest of a line: scalar, flow collection or block scalar header; `parent` as in node(). */
  private value(j: number, eol: number, parent: number): number {
    const { text } = this;
    const c = text.charCodeAt(j);
    switch (c) {
      case PIPE:
      case GT:
        return this.blockScalar(j, eol, parent);
      case DQUOTE:
        return this.trailing(this.doubleQuoted(j, eol), eol);
      case SQUOTE:
        return this.trailing(this.singleQuoted(j, eol), eol);
      case LBRACKET:
      case LBRACE: {
        const [end, endEol] = this.flowCollection(j, eol, parent);
        return this.trailing(end, endEol);
      }
      default:
        break;
    }
    if (!plainStart(text, j)) throw UNSURE;
    if (c === DASH && (j + 1 === eol || text.charCodeAt(j + 1) === SPACE)) throw UNSURE;
    for (let k = j + 1; k < eol; k++) {
      const d = text.charCodeAt(k);
      if (d === COLON) {
        if (k + 1 === eol || text.charCodeAt(k + 1) === SPACE) throw UNSURE; // `a: b: c`
      } else if (d === HASH && text.charCodeAt(k - 1) === SPACE) {
        break;
      }
    }
    return eol + 1;
  }

  /** After a quoted scalar or flow collection ending at `j`: blanks, then the line's end or a comment. */
  private trailing(j: number, eol: number): number {
    const { text } = this;
    if (j === eol) return eol + 1;
    if (text.charCodeAt(j) !== SPACE) throw UNSURE;
    while (j < eol && text.charCodeAt(j) === SPACE) j++;
    if (j < eol && text.charCodeAt(j) !== HASH) throw UNSURE;
    return eol + 1;
  }

  /** `"..."` closed on this line, with valid escapes; returns the offset past the closing quote. */
  private doubleQuoted(i: number, eol: number): number {
    const { text } = this;
    for (let j = i + 1; j < eol; j++) {
      const c = text.charCodeAt(j);
      if (c === DQUOTE) return j + 1;
      if (c !== BACKSLASH) continue;
      const e = text.charCodeAt(j + 1);
      if (j + 1 >= eol) throw UNSURE;
      switch (e) {
        case 48: // 0
        case 97: // a
        case 98: // b
        case 116: // t
        case 110: // n
        case 118: // v
        case 102: // f
        case 114: // r
        case 101: // e
        case 32: // space
        case DQUOTE:
        case 47: // /
        case BACKSLASH:
        case 78: // N
        case 95: // _
        case 76: // L
        case 80: // P
          j++;
          break;
        case 120: // x
        case 117: // u
        case 85: {
          // U
          const digits = e === 120 ? 2 : e === 117 ? 4 : 8;
          if (j + 1 + digits >= eol) throw UNSURE;
          for (let k = 0; k < digits; k++) if (!isHex(text.charCodeAt(j + 2 + k))) throw UNSURE;
          j += 1 + digits;
          break;
        }
        default:
          throw UNSURE;
      }
    }
    throw UNSURE; // not closed on this line
  }

  /** `'...'` closed on this line; returns the offset past the closing quote. */
  private singleQuoted(i: number, eol: number): number {
    const { text } = this;
    for (let j = i + 1; j < eol; j++) {
      if (text.charCodeAt(j) !== SQUOTE) continue;
      if (text.charCodeAt(j + 1) === SQUOTE && j + 1 < eol) {
        j++;
        continue;
      }
      return j + 1;
    }
    throw UNSURE;
  }

  /**
   * A flow collection opening at `i` on the line ending at `eol`, in a block collection indented `parent` (-1 at
   * the root). It may go on over lines, each indented more than both `parent` and the line it starts on, none
   * blank or a comment. Returns the offset past its end and the end of the line it ends on.
   */
  private flowCollection(i: number, eol: number, parent: number): [number, number] {
    let lineIndent = 0;
    while (this.text.charCodeAt(this.lineStart + lineIndent) === SPACE) lineIndent++;
    this.flowEol = eol;
    this.flowMinIndent = Math.max(parent, lineIndent) + 1;
    const end = this.flow(i, 0);
    return [end, this.flowEol];
  }

  /** The end of the line a flow collection being read is on, and how far its continuation lines must indent. */
  private flowEol = 0;
  private flowMinIndent = 1;

  /** A flow collection opening at `i`; returns the offset past its end. */
  private flow(i: number, depth: number): number {
    if (depth > MAX_FLOW_DEPTH) throw UNSURE;
    const { text } = this;
    const isMap = text.charCodeAt(i) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const keys = isMap ? new Map<string, boolean>() : null;
    this.flowMaybeNonString[depth] = 0;
    let j = this.skipFlow(i + 1);
    if (text.charCodeAt(j) === close) return j + 1;
    for (;;) {
      if (isMap) {
        // The key, `:` and the start of the value on one line.
        const c = text.charCodeAt(j);
        let end: number;
        if (c === DQUOTE || c === SQUOTE) {
          end = c === DQUOTE ? this.doubleQuoted(j, this.flowEol) : this.singleQuoted(j, this.flowEol);
          const body = text.slice(j + 1, end - 1);
          if (c === DQUOTE && body.includes('\\')) throw UNSURE;
          this.lastKey = c === SQUOTE ? body.replaceAll("''", "'") : body;
          this.lastKeyMaybeNonString = false;
          this.lastKeyStart = j;
          this.lastKeyEnd = end;
        } else {
          end = this.flowPlain(j);
          let k = end;
          while (text.charCodeAt(k - 1) === SPACE) k--;
          this.lastKey = text.slice(j, k);
          if (this.lastKey === '<<') throw UNSURE;
          this.lastKeyMaybeNonString = MAY_NOT_BE_STRING.test(this.lastKey);
          this.lastKeyStart = j;
          this.lastKeyEnd = k;
        }
        this.recordKey(keys!, this.flowMaybeNonString, depth);
        j = this.skipSpaces(end, this.flowEol);
        if (text.charCodeAt(j) !== COLON || text.charCodeAt(j + 1) !== SPACE) throw UNSURE;
        j = this.skipSpaces(j + 1, this.flowEol);
        j = this.flowNode(j, depth);
      } else {
        j = this.flowNode(j, depth);
        let k = j;
        while (k < this.flowEol && text.charCodeAt(k) === SPACE) k++;
        if (text.charCodeAt(k) === COLON) throw UNSURE; // `[a: b]`: a pair in a sequence
      }
      j = this.skipFlow(j);
      const c = text.charCodeAt(j);
      if (c === close) return j + 1;
      if (c !== COMMA) throw UNSURE;
      j = this.skipFlow(j + 1);
      const d = text.charCodeAt(j);
      if (d === close || d === COMMA) throw UNSURE;
    }
  }

  /** Blanks up to the next character on this line; none there is unsure. */
  private skipSpaces(j: number, eol: number): number {
    while (j < eol && this.text.charCodeAt(j) === SPACE) j++;
    if (j >= eol) throw UNSURE;
    return j;
  }

  /** Blanks and line breaks inside a flow collection, onto continuation lines indented enough. */
  private skipFlow(j: number): number {
    const { text, n } = this;
    for (;;) {
      while (j < this.flowEol && text.charCodeAt(j) === SPACE) j++;
      if (j < this.flowEol) return j;
      if (this.flowEol >= n) throw UNSURE;
      const start = this.flowEol + 1;
      let e = text.indexOf('\n', start);
      if (e === -1) e = n;
      let k = start;
      while (k < e && text.charCodeAt(k) === SPACE) k++;
      if (k === e || k - start < this.flowMinIndent || text.charCodeAt(k) === HASH) throw UNSURE;
      this.flowEol = e;
      j = k;
    }
  }

  /** A value inside a flow collection; returns the offset past it. */
  private flowNode(j: number, depth: number): number {
    const { text } = this;
    const c = text.charCodeAt(j);
    if (c === LBRACKET || c === LBRACE) return this.flow(j, depth + 1);
    let end: number;
    if (c === DQUOTE) end = this.doubleQuoted(j, this.flowEol);
    else if (c === SQUOTE) end = this.singleQuoted(j, this.flowEol);
    else return this.flowPlain(j);
    // A quoted scalar must be followed by a blank, a line break, a separator or the end of its collection.
    const d = text.charCodeAt(end);
    if (d !== SPACE && d !== 10 && d !== COMMA && d !== RBRACKET && d !== RBRACE) throw UNSURE;
    return end;
  }

  /** A plain scalar inside a flow collection, on one line; returns where it ends (trailing blanks included). */
  private flowPlain(j: number): number {
    const { text } = this;
    const eol = this.flowEol;
    const c = text.charCodeAt(j);
    if (isIndicatorStart(c)) throw UNSURE;
    if (c === DASH && text.charCodeAt(j + 1) === SPACE) throw UNSURE;
    let k = j + 1;
    for (; k < eol; k++) {
      const d = text.charCodeAt(k);
      if (d === COMMA || d === LBRACKET || d === RBRACKET || d === LBRACE || d === RBRACE) break;
      if (d === COLON) {
        const e = text.charCodeAt(k + 1);
        if (e === SPACE) break;
        if (k + 1 >= eol || e === COMMA || e === LBRACKET || e === RBRACKET || e === LBRACE || e === RBRACE) throw UNSURE;
      } else if (d === HASH && text.charCodeAt(k - 1) === SPACE) {
        throw UNSURE; // a comment inside a flow collection
      }
    }
    if (text.charCodeAt(k) === LBRACKET || text.charCodeAt(k) === LBRACE) throw UNSURE;
    return k;
  }

  /**
   * `|` or `>` at `j` (optional chomping indicator, no indentation indicator), then its content: the lines
   * indented more than `parent`, at the indentation of the first non-empty one. Returns the start of the line
   * that ends it.
   */
  private blockScalar(j: number, eol: number, parent: number): number {
    const { text, n } = this;
    let k = j + 1;
    const h = text.charCodeAt(k);
    if (h === 43 /* + */ || h === DASH) k++;
    if (k < eol) {
      if (text.charCodeAt(k) !== SPACE) throw UNSURE; // an indentation indicator, or anything else
      while (k < eol && text.charCodeAt(k) === SPACE) k++;
      if (k < eol && text.charCodeAt(k) !== HASH) throw UNSURE;
    }
    let p = eol + 1;
    let contentIndent = -1;
    let leadingBlank = 0;
    while (p < n) {
      let e = text.indexOf('\n', p);
      if (e === -1) e = n;
      let s = p;
      while (s < e && text.charCodeAt(s) === SPACE) s++;
      const spaces = s - p;
      if (s === e) {
        if (contentIndent === -1 && spaces > leadingBlank) leadingBlank = spaces;
        p = e + 1;
        continue;
      }
      if (contentIndent === -1) {
        if (spaces <= parent) break;
        if (leadingBlank > spaces) throw UNSURE; // more-indented leading empty lines: an error
        contentIndent = spaces;
      } else if (spaces < contentIndent) {
        break;
      }
      p = e + 1;
    }
    if (contentIndent === -1 && leadingBlank > 0) throw UNSURE;
    return p > n ? n : p;
  }
}
