/**
 * detectKind: which format a file of the change is, from its path and the first few KB of its content.
 *
 * Extensions alone are not enough: `.conf` is oslo.config, Apache or uWSGI, and `.yaml` is hieradata, a heat
 * template, a heat environment or Ansible variables. The content decides, then the path. Only the first
 * SNIFF_BYTES characters are looked at and no regex can backtrack badly, so this is cheap on any input. Content
 * with a NUL character is binary: `unknown`.
 *
 * Template files (`x.conf.erb`, `x.ini.j2`, `x.yaml.j2`, `x.j2.yaml`, `x.epp`) are judged by the extension under
 * the template suffix; a template with no inner extension (`_wsgi.erb`) by its content (Apache or INI).
 */
import type { FileKind } from '../model/file-kind.js';

/** How much of the content is looked at. */
export const SNIFF_BYTES = 8 * 1024;

const TEMPLATE_SUFFIXES = ['.j2', '.erb', '.epp', '.jinja', '.jinja2'];

export interface DetectOptions {
  /**
   * Other paths of the change or repository, when known: a YAML file in a directory (or below one) that holds a
   * `hiera.yaml` is hieradata.
   */
  siblingPaths?: readonly string[];
}

/** The file name with any template suffix removed, and whether there was one. */
export function splitTemplateSuffix(path: string): { base: string; template: boolean } {
  const slash = path.lastIndexOf('/');
  let name = path.slice(slash + 1).toLowerCase();
  let template = false;
  for (const suffix of TEMPLATE_SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length);
      template = true;
      break;
    }
  }
  // TripleO's `foo.j2.yaml`, `foo.role.j2.yaml`
  if (/\.j2\.ya?ml$/.test(name)) template = true;
  return { base: name, template };
}

export function detectKind(path: string, text: string, options: DetectOptions = {}): FileKind {
  const head = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  if (head.includes('\u0000')) return 'unknown';
  const normPath = path.replace(/\\/g, '/');
  const { base, template } = splitTemplateSuffix(normPath);
  const dot = base.lastIndexOf('.');
  const ext = dot === -1 ? '' : base.slice(dot + 1);
  const segments = normPath.toLowerCase().split('/').slice(0, -1);

  switch (ext) {
    case 'pp':
      return 'puppet';
    case 'py':
      // A Python template (`local_settings.py.erb`) is not Python until rendered; tags are not maskable there.
      return template ? 'unknown' : 'python';
    case 'ini':
    case 'conf':
    case 'cfg':
    case 'load': // Debian's mods-available/*.load: the LoadModule lines that pick the MPM
      // RabbitMQ's rabbitmq.conf (sysctl-like `a.b = c`, no sections) reads as an INI file without sections.
      return iniLike(head, segments) ?? (base === 'rabbitmq.conf' ? 'ini' : 'unknown');
    case 'yaml':
    case 'yml':
      return yamlKind(base, head, segments, normPath, options) ?? 'unknown';
    default:
      if (template) return iniLike(head, [], true) ?? 'unknown';
      if (dot === -1 && /^#![^\n]*\bpython/.test(head)) return 'python';
      return 'unknown';
  }
}

const APACHE_PATH_SEGMENTS = new Set([
  'apache2',
  'apache',
  'httpd',
  'conf.d',
  'conf.modules.d',
  'sites-available',
  'sites-enabled',
  'mods-available',
  'mods-enabled',
  'conf-available',
  'conf-enabled',
]);

/**
 * Directives that only httpd configuration starts a line with. Each must be followed by a blank and then not by
 * `=` or `:` (an INI `listen = x` is not `Listen x`).
 */
const APACHE_DIRECTIVES = new Set(
  [
    'listen',
    'loadmodule',
    'serverlimit',
    'servername',
    'serveralias',
    'serverroot',
    'documentroot',
    'maxrequestworkers',
    'maxclients',
    'threadsperchild',
    'threadlimit',
    'startservers',
    'minsparethreads',
    'maxsparethreads',
    'maxconnectionsperchild',
    'errorlog',
    'customlog',
    'logformat',
    'keepalive',
    'keepalivetimeout',
    'allowencodedslashes',
    'require',
    'options',
    'alias',
    'setenvif',
    'header',
    'requestheader',
    'sslengine',
    'sslcertificatefile',
  ],
);
const APACHE_SECTIONS = new Set(['virtualhost', 'ifmodule', 'directory', 'location', 'files', 'filesmatch', 'ifdefine', 'locationmatch', 'directorymatch', 'ifversion']);

/**
 * uwsgi, apache or ini from content, else apache from the path; undefined when nothing fits. A `[uwsgi]` header
 * decides at once. Section tags (`<VirtualHost`) and `WSGI*`/`LoadModule`/`Listen` lines are strong Apache
 * evidence and beat `[section]` lines; other Apache directives only count when there is no `[section]` line (an
 * oslo.config continuation line could start with `Require`).
 */
function iniLike(head: string, segments: readonly string[], contentOnly = false): FileKind | undefined {
  let uwsgi = false;
  let section = false;
  let strong = false;
  let weak = false;
  forEachLine(head, (line) => {
    const t = line.trim();
    const c = t.charCodeAt(0);
    if (t === '' || c === 35 /* # */ || c === 59 /* ; */) return true;
    if (c === 91 /* [ */) {
      if (t.startsWith('[uwsgi]')) {
        uwsgi = true;
        return false;
      }
      if (t.endsWith(']')) section = true;
      return true;
    }
    const evidence = apacheEvidence(t);
    if (evidence === 'strong') strong = true;
    else if (evidence === 'weak') weak = true;
    return true;
  });
  if (uwsgi) return 'uwsgi';
  if (strong) return 'apache';
  if (section) return 'ini';
  if (weak) return 'apache';
  if (!contentOnly && segments.some((s) => APACHE_PATH_SEGMENTS.has(s))) return 'apache';
  return undefined;
}

const STRONG_DIRECTIVES = new Set(['listen', 'loadmodule', 'serverlimit', 'maxrequestworkers', 'threadsperchild']);

function apacheEvidence(t: string): 'strong' | 'weak' | undefined {
  if (t.charCodeAt(0) === 60 /* < */) {
    let k = t.charCodeAt(1) === 47 ? 2 : 1;
    const start = k;
    while (k < t.length && isLetter(t.charCodeAt(k))) k++;
    return APACHE_SECTIONS.has(t.slice(start, k).toLowerCase()) ? 'strong' : undefined;
  }
  let k = 0;
  while (k < t.length && (isLetter(t.charCodeAt(k)) || t.charCodeAt(k) === 95 || isDigit(t.charCodeAt(k)))) k++;
  if (k === 0 || k === t.length) return undefined;
  const c = t.charCodeAt(k);
  if (c !== 32 && c !== 9) return undefined;
  let r = k;
  while (r < t.length && (t.charCodeAt(r) === 32 || t.charCodeAt(r) === 9)) r++;
  const after = t.charCodeAt(r);
  if (after === 61 /* = */ || after === 58 /* : */) return undefined;
  const word = t.slice(0, k).toLowerCase();
  if (word.startsWith('wsgi') || STRONG_DIRECTIVES.has(word)) return 'strong';
  return APACHE_DIRECTIVES.has(word) ? 'weak' : undefined;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const HEAT_ENV_KEYS = new Set(['parameter_defaults', 'resource_registry', 'parameters', 'parameter_merge_strategies', 'event_sinks', 'encrypted_param_names']);
const ANSIBLE_DIRS = new Set(['group_vars', 'host_vars', 'defaults', 'vars']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function yamlKind(
  base: string,
  head: string,
  segments: readonly string[],
  path: string,
  options: DetectOptions,
): FileKind | undefined {
  if (base === 'hiera.yaml') return undefined; // hiera's own configuration, not data
  const keys = topLevelKeys(head);
  if (keys.includes('heat_template_version')) return 'heat';
  if (keys.length > 0 && keys.every((k) => HEAT_ENV_KEYS.has(k))) return 'heat-env';
  if (keys.some((k) => k === 'parameter_defaults' || k === 'resource_registry')) return 'heat-env';
  if (segments.includes('hieradata') || segments.includes('data') || hasHieraConfigAbove(path, options.siblingPaths)) {
    return 'hiera';
  }
  if (keys.some((k) => k.includes('::'))) return 'hiera';
  if (segments.some((s) => ANSIBLE_DIRS.has(s)) || base === 'globals.yml' || base === 'globals.yaml') return 'ansible';
  if (keys.length > 0 && keys.every((k) => IDENTIFIER.test(k))) return 'ansible';
  return undefined;
}

/** Is there a `hiera.yaml` in the file's directory or one of its parents, among `siblings`? */
function hasHieraConfigAbove(path: string, siblings: readonly string[] | undefined): boolean {
  if (!siblings || siblings.length === 0) return false;
  for (const dir of hieraDirsOf(siblings)) if (path.startsWith(dir)) return true;
  return false;
}

/**
 * The directories holding a `hiera.yaml`, computed once per sibling list: every YAML file of a change asks, and
 * scanning the whole list each time made a 3000-file change quadratic.
 */
const hieraDirsBySiblings = new WeakMap<readonly string[], readonly string[]>();
function hieraDirsOf(siblings: readonly string[]): readonly string[] {
  let dirs = hieraDirsBySiblings.get(siblings);
  if (dirs === undefined) {
    const found = new Set<string>();
    for (const p of siblings) {
      const norm = p.replace(/\\/g, '/');
      if (norm === 'hiera.yaml' || norm.endsWith('/hiera.yaml')) found.add(norm.slice(0, -'hiera.yaml'.length));
    }
    dirs = [...found];
    hieraDirsBySiblings.set(siblings, dirs);
  }
  return dirs;
}

/**
 * Keys of the top-level block mapping(s): lines at column 0 that are `key:` or `"key":`, skipping comments,
 * document markers, directives and sequence items. Only the sniffed head is read.
 */
export function topLevelKeys(head: string): string[] {
  const keys: string[] = [];
  forEachLine(head, (line) => {
    const c = line.charCodeAt(0);
    if (line === '' || c === 32 || c === 9 || c === 35 || c === 37 /* % */ || c === 45 /* - */) return true;
    if (line.startsWith('...')) return true;
    let key: string | undefined;
    if (c === 34 || c === 39) {
      const close = line.indexOf(String.fromCharCode(c), 1);
      if (close > 0 && line.charCodeAt(close + 1) === 58) key = line.slice(1, close);
    } else {
      // `key:` followed by a blank or the end of the line; `a::b:` has `::` inside the key.
      for (let k = 0; k < line.length; k++) {
        if (line.charCodeAt(k) !== 58) continue;
        const next = line.charCodeAt(k + 1);
        if (k + 1 === line.length || next === 32 || next === 9 || next === 13) {
          key = line.slice(0, k).trimEnd();
          break;
        }
      }
    }
    if (key !== undefined && key !== '') keys.push(key);
    return true;
  });
  return keys;
}

/** Call `fn` on each line (without its `\n`) until it returns false. */
function forEachLine(text: string, fn: (line: string) => boolean): void {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (!fn(text.slice(start, end))) return;
    start = end + 1;
  }
}

/** Text that makes detectKind accept any path whose format heartbeat-bot might read, whatever its content. */
const PROBE = '#!/usr/bin/python\nheat_template_version: 2016-10-14\n[uwsgi]\n';

/**
 * Whether a file may be one heartbeat-bot reads, from its path alone: the platforms fetch nothing else (a pull
 * request's or a change's other files cost no request).
 */
export function mayBeRelevant(path: string): boolean {
  return detectKind(path, PROBE) !== 'unknown';
}
