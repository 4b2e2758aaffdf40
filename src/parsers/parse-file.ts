/**
 * parseFile: path + text -> ParsedFile (src/model/parsed-file.ts), the one entry point review() uses.
 *
 * It detects the kind (detect-kind.ts), decides whether the file is a template, and dispatches to the parser of
 * that kind. A file is a template when its name says so (`.j2`, `.erb`, `.epp`, `.j2.yaml`) or, for the YAML,
 * INI and Apache kinds, when its content contains template tags (Ansible vars hold `{{ }}` in plain `.yml`).
 * Puppet and Python are never masked: `<%`/`{{` mean something else there. The template language masked follows
 * the suffix (`.j2` Jinja, `.erb`/`.epp` ERB), both when sniffed from content.
 *
 * Never throws: the parsers return errors as data, and should one of them throw anyway (a bug), the file comes
 * back as `unknown` with that error, so one bad file cannot stop a review.
 */
import type { FileKind } from '../model/file-kind.js';
import type { ParseError } from '../model/parse-result.js';
import type { ParsedFile } from '../model/parsed-file.js';
import { parseApache } from './apache.js';
import { detectKind, splitTemplateSuffix, type DetectOptions } from './detect-kind.js';
import { parseIni } from './ini.js';
import { LineIndex } from './line-index.js';
import { hasTemplateTags, type TemplateSyntax } from './mask-template.js';
import { parsePuppet } from './puppet/parse-puppet.js';
import { parsePython } from './python.js';
import { parseYaml } from './yaml.js';

/** A file heartbeat-bot does not understand (or could not parse): kept so callers can still report on it. */
export interface UnknownFile {
  kind: 'unknown';
  path: string;
  text: string;
  errors: ParseError[];
}

export type ParseFileOptions = DetectOptions & {
  /** Skip detection and parse as this kind. */
  kind?: FileKind;
};

export function parseFile(path: string, text: string, options: ParseFileOptions = {}): ParsedFile | UnknownFile {
  let kind: FileKind = 'unknown';
  try {
    kind = options.kind ?? detectKind(path, text, options);
    if (kind === 'unknown') return { kind, path, text, errors: [] };
    const template = templateOf(path, text, kind);
    const tmpl = template ? { templated: true, syntaxes: template } : {};
    switch (kind) {
      case 'puppet': {
        const r = parsePuppet(text);
        return { kind, path, text, tree: r.tree, errors: r.errors };
      }
      case 'python': {
        const r = parsePython(text);
        return { kind, path, text, tree: r.tree, errors: r.errors };
      }
      case 'hiera':
      case 'heat':
      case 'heat-env':
      case 'ansible': {
        const r = parseYaml(text, tmpl);
        return { kind, path, text, tree: r.tree, errors: r.errors };
      }
      case 'ini':
      case 'uwsgi': {
        const r = parseIni(text, { ...tmpl, dialect: kind === 'uwsgi' ? 'uwsgi' : 'oslo' });
        return { kind, path, text, tree: r.tree, errors: r.errors };
      }
      case 'apache': {
        const r = parseApache(text, tmpl);
        return { kind, path, text, tree: r.tree, errors: r.errors };
      }
    }
  } catch (e) {
    const range = new LineIndex('').range(0, 0);
    return { kind: 'unknown', path, text, errors: [{ message: `internal error parsing as ${kind}: ${(e as Error)?.message ?? String(e)}`, range }] };
  }
}

/** The template languages to mask, or undefined when the file is not a template. */
export function templateOf(path: string, text: string, kind: FileKind): TemplateSyntax[] | undefined {
  if (kind === 'puppet' || kind === 'python' || kind === 'unknown') return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/\.(?:j2|jinja2?)$/.test(name) || /\.j2\.ya?ml$/.test(name)) return ['jinja'];
  if (name.endsWith('.erb') || name.endsWith('.epp')) return ['erb'];
  if (splitTemplateSuffix(path).template) return ['jinja', 'erb'];
  return hasTemplateTags(text) ? ['jinja', 'erb'] : undefined;
}
