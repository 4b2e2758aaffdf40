/**
 * Per-repository configuration (CONTRACTS.md §5): `.heartbeat-bot.yml` / `.github/heartbeat-bot.yml`.
 *
 * One schema (repo-config-schema.ts), read strictly: an unknown key or value is reported as a problem (with its
 * line, key path and the allowed values, and the closest known name for a typo) and left out, never silently
 * ignored, so a typo in `rules:` cannot quietly turn a rule back on. The valid part of the file still applies.
 * Pure: the caller reads the file.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { ENGINE_CHECK_IDS, type RepoConfig } from '../model/review.js';
import { CONFIG_KEYS, FILTER_MODES, RULE_LEVELS } from './repo-config-schema.js';

const SEVERITIES = RULE_LEVELS;
const FILTERS = FILTER_MODES;

export interface ParsedRepoConfig {
  config: RepoConfig;
  /** `<source>:<line>:<col>: <key path>: <what is wrong>`, one per problem. */
  problems: string[];
}

/**
 * Parses and validates a config file. `ruleIds`, when given, are the known rule ids (the engine checks are always
 * known): a `rules:` entry for any other id is reported.
 */
export function parseRepoConfig(text: string, source: string, ruleIds?: readonly string[]): ParsedRepoConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (node: Node | null | undefined, path: string, what: string): void => {
    const offset = node?.range?.[0];
    const where = offset === undefined ? '' : `:${lineCounter.linePos(offset).line}:${lineCounter.linePos(offset).col}`;
    problems.push(`${source}${where}: ${path ? `${path}: ` : ''}${what}`);
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
      problems.push(`${source}:${line}:${col}: YAML error: ${e.message.split('\n')[0] ?? e.message}`);
    }
    return { config: {}, problems };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config: {}, problems };
  if (!isMap(root)) {
    at(root, '', `the configuration must be a mapping of ${CONFIG_KEYS.join(', ')}`);
    return { config: {}, problems };
  }
  const config: RepoConfig = {};
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const value = pair.value;
    switch (key) {
      case 'release':
        readRelease(value, (v) => (config.release = v), at);
        break;
      case 'rules':
        readRules(value, ruleIds, (v) => (config.rules = v), at);
        break;
      case 'ignore':
        readIgnore(value, (v) => (config.ignore = v), at);
        break;
      case 'filter':
        if (isScalar(value) && typeof value.value === 'string' && (FILTERS as readonly string[]).includes(value.value)) {
          config.filter = value.value as RepoConfig['filter'];
        } else at(value ?? pair.key, 'filter', `${show(value)} is not one of ${FILTERS.join(', ')}`);
        break;
      default:
        at(pair.key, key, `unknown key (${didYouMean(key, CONFIG_KEYS)}known keys: ${CONFIG_KEYS.join(', ')})`);
    }
  }
  return { config, problems };
}

type Report = (node: Node | null | undefined, path: string, what: string) => void;

function readRelease(value: Node | null, set: (v: string) => void, at: Report): void {
  // YAML reads `release: 2024.1` as a number; the series is what was written, so take the source text.
  if (isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number')) {
    const text = typeof value.value === 'number' ? (value.source ?? String(value.value)) : value.value;
    if (/^[A-Za-z0-9.]+$/.test(text.trim())) return set(text.trim());
  }
  at(value, 'release', `${show(value)} is not a series name (e.g. wallaby, 2024.1)`);
}

function readRules(
  value: Node | null,
  ruleIds: readonly string[] | undefined,
  set: (v: NonNullable<RepoConfig['rules']>) => void,
  at: Report,
): void {
  if (!isMap(value)) return at(value, 'rules', 'must be a mapping of rule id to off, info, warning or error');
  const rules: NonNullable<RepoConfig['rules']> = {};
  const known = ruleIds === undefined ? undefined : [...ruleIds, ...ENGINE_CHECK_IDS.filter((id) => !ruleIds.includes(id))];
  for (const pair of value.items as Pair<Node, Node | null>[]) {
    const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (known !== undefined && !known.includes(id)) {
      at(pair.key, `rules.${id}`, `unknown rule (${didYouMean(id, known)}known rules: ${known.join(', ')})`);
      continue;
    }
    const v = pair.value;
    // YAML 1.1 tools read a bare `off` as false; accept it as meaning off.
    if (isScalar(v) && v.value === false) rules[id] = 'off';
    else if (isScalar(v) && typeof v.value === 'string' && (SEVERITIES as readonly string[]).includes(v.value)) {
      rules[id] = v.value as (typeof SEVERITIES)[number];
    } else at(v ?? pair.key, `rules.${id}`, `${show(v)} is not one of ${SEVERITIES.join(', ')}`);
  }
  set(rules);
}

function readIgnore(value: Node | null, set: (v: string[]) => void, at: Report): void {
  if (!isSeq(value)) return at(value, 'ignore', 'must be a list of path globs');
  const globs: string[] = [];
  value.items.forEach((item, i) => {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') globs.push(item.value);
    else at(item as Node, `ignore[${i}]`, `${show(item as Node)} is not a path glob`);
  });
  set(globs);
}

/** `did you mean X? ` for the closest known name within a typo's distance, else nothing. */
function didYouMean(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best === undefined ? '' : `did you mean ${best}? `;
}

/** Levenshtein distance; names here are short, so the quadratic table is nothing. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function show(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'an empty value';
  if (isScalar(node)) return node.value === null ? 'an empty value' : JSON.stringify(node.value);
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return 'this value';
}
