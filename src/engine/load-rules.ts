/**
 * Discovers the rules: every `<package root>/dist/rules/<id>/rule.js` (compiled from rules/<id>/rule.ts). There is
 * no central index, so a new rule touches one folder. A folder without rule.js (rules/knowledge) is not a rule.
 *
 * The bundled CLI (build/bundle-cli.mjs) imports the same rule modules statically and hands them over with
 * useBundledRules(); they are then taken instead of the folder scan for the default directory, and validated alike.
 *
 * Every rule is validated here, at start-up, rather than failing in the middle of a review: the default export
 * must be `{ meta, check }`, meta.id must equal the folder name, and meta must have all its fields.
 *
 * May not: run rules or know any rule by name.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Rule } from '../model/rule.js';

/** dist/rules, from this file's place at dist/src/engine/load-rules.js. */
export const RULES_DIST_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const SEVERITIES = ['error', 'warning', 'info'];
const KINDS = ['puppet', 'hiera', 'heat', 'heat-env', 'ansible', 'ini', 'uwsgi', 'apache', 'python'];

/** Rule modules by folder name, as the bundle's build found them in dist/rules. */
type BundledRules = () => Promise<Record<string, unknown>>;
let bundledRules: BundledRules | undefined;

/** Called once by the bundled CLI's entry, before anything loads rules. */
export function useBundledRules(load: BundledRules): void {
  bundledRules = load;
}

/** Loads and validates every rule, sorted by id; throws one Error listing every invalid rule. */
export async function loadRules(dir: string = RULES_DIST_DIR): Promise<Rule[]> {
  const bundled = dir === RULES_DIST_DIR && bundledRules !== undefined ? await bundledRules() : undefined;
  const folders =
    bundled !== undefined
      ? Object.keys(bundled).sort()
      : readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'rule.js')))
          .map((d) => d.name)
          .sort();
  const rules: Rule[] = [];
  const problems: string[] = [];
  for (const folder of folders) {
    const file = join(dir, folder, 'rule.js');
    let exported: unknown;
    try {
      exported = bundled !== undefined ? bundled[folder] : ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (e) {
      problems.push(`${file}: cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const wrong = validateRule(exported, folder);
    if (wrong.length > 0) problems.push(...wrong.map((w) => `${file}: ${w}`));
    else rules.push(exported as Rule);
  }
  if (problems.length > 0) throw new Error(`invalid rules:\n  ${problems.join('\n  ')}`);
  return rules;
}

/** What is wrong with a rule module's default export; empty when it is a valid rule for `folder`. */
export function validateRule(exported: unknown, folder: string): string[] {
  if (exported === null || typeof exported !== 'object') return ['the default export must be a rule { meta, check }'];
  const { meta, check } = exported as { meta?: Record<string, unknown>; check?: unknown };
  const wrong: string[] = [];
  if (typeof check !== 'function') wrong.push('check must be a function');
  if (meta === null || typeof meta !== 'object') return [...wrong, 'meta is missing'];
  if (meta.id !== folder) wrong.push(`meta.id ${JSON.stringify(meta.id)} must equal the folder name '${folder}'`);
  if (typeof meta.description !== 'string' || meta.description.trim() === '') wrong.push('meta.description is missing');
  if (typeof meta.severity !== 'string' || !SEVERITIES.includes(meta.severity)) {
    wrong.push(`meta.severity must be one of ${SEVERITIES.join(', ')}`);
  }
  if (!Array.isArray(meta.kinds) || meta.kinds.length === 0 || !meta.kinds.every((k) => KINDS.includes(k as string))) {
    wrong.push(`meta.kinds must be a non-empty list of ${KINDS.join(', ')}`);
  }
  if (
    !Array.isArray(meta.references) ||
    meta.references.length === 0 ||
    !meta.references.every((r) => typeof r === 'string' && /^https?:\/\/\S+$/.test(r))
  ) {
    wrong.push('meta.references must be a non-empty list of absolute URLs');
  }
  return wrong;
}
