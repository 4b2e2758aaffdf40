/**
 * YAML tree: the `yaml` package's own documents, which keep source offsets on every node, plus a line
 * counter to turn offsets into line/column. Extractors walk `yaml`'s nodes (isMap, isScalar, ...) directly.
 *
 * For a text the fast scan (src/parsers/yaml-scan.ts) found clean, `documents` and `lineCounter` are built on
 * first access; `topLevelKeys` then lets a consumer that only needs root keys (hieradata) skip building them.
 */
import type { Document, LineCounter } from 'yaml';

export interface YamlFile {
  /** One entry per `---` document. Documents with errors are kept; their errors are in ParsedFile.errors. */
  documents: Document.Parsed[];
  lineCounter: LineCounter;
  /**
   * Keys of every document's root mapping, as `String(pair.key.value)` gives them, in order. Present only when
   * known without building the documents and when every such key is a string (no `1:`, `yes:`, `~:`).
   */
  readonly topLevelKeys?: readonly string[] | undefined;
  /** The text given to the YAML parser: template tags (`{{ }}`, `{% %}`) masked with spaces, same offsets. */
  maskedText: string;
  /**
   * Template tags masked in `maskedText` (offsets, sorted), present only for templated files. A node whose range
   * overlaps an `expression` or `statement` tag holds an expression, not a literal (see `isTemplated` in
   * src/parsers/yaml.ts). An expression tag inside a value is masked with `_` so the value stays a scalar.
   */
  templateTags?: Array<{ start: number; end: number; syntax: 'jinja' | 'erb'; kind: 'expression' | 'statement' | 'comment' }>;
}
