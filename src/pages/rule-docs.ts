/**
 * What the rule pages show, loaded once: every rule's metadata (the engine's loadRules, the same rules the
 * reviews run) and README (`rules/<id>/README.md` in the package), plus the engine's own checks, which have no
 * folder and are documented by their description and fix.
 */
import { readFile } from 'node:fs/promises';
import type { FileKind } from '../model/file-kind.js';
import type { Severity } from '../model/finding.js';
import { ENGINE_CHECKS } from '../model/review.js';
import type { Rule } from '../model/rule.js';

export interface RuleDoc {
  id: string;
  description: string;
  severity: Severity;
  kinds: FileKind[];
  references: string[];
  /** The README's Markdown; absent for engine checks. */
  readme?: string;
  /** Engine checks: what to do about it. */
  fix?: string;
}

/** The package's rules/ folder: dist/src/pages/ is three levels below the package root. */
export const RULES_SOURCE_DIR = new URL('../../../rules/', import.meta.url);

export const KIND_LABELS: Readonly<Record<FileKind, string>> = {
  puppet: 'Puppet',
  hiera: 'hieradata',
  heat: 'heat template',
  'heat-env': 'heat environment',
  ansible: 'Ansible vars',
  ini: 'oslo.config ini',
  uwsgi: 'uWSGI ini',
  apache: 'Apache',
  python: 'Python',
  unknown: 'any',
};

export async function loadRuleDocs(rules: readonly Rule[], dir: URL = RULES_SOURCE_DIR): Promise<RuleDoc[]> {
  const docs = await Promise.all(
    rules.map(async (rule): Promise<RuleDoc> => {
      const { id, description, severity, kinds, references } = rule.meta;
      let readme: string | undefined;
      try {
        readme = await readFile(new URL(`${encodeURIComponent(id)}/README.md`, dir), 'utf8');
      } catch {
        readme = undefined;
      }
      return { id, description, severity, kinds: [...kinds], references: [...references], ...(readme !== undefined ? { readme } : {}) };
    }),
  );
  docs.sort((a, b) => a.id.localeCompare(b.id));
  const engine = ENGINE_CHECKS.map((c): RuleDoc => ({ id: c.id, description: c.description, severity: c.severity, kinds: [], references: [], fix: c.fix }));
  return [...docs, ...engine];
}
