/**
 * Reads rule fixtures: the folders under rules/, each fixture's virtual path (`# path: ...` on its first line),
 * target series (`# release: ...` on one of its first lines) and annotations (`# expect: <id>`, `# ok: <id>`,
 * `# todo-expect: <id>` on the line above the setting line; several ids may be comma-separated, and stacked
 * annotations all point at the first line below them that is not an annotation).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from dist/test/rules/read-fixtures.js. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const RULES_DIR = join(ROOT, 'rules');

export type AnnotationKind = 'expect' | 'ok' | 'todo-expect';

export interface Annotation {
  kind: AnnotationKind;
  ruleId: string;
  /** 1-based line of the annotation comment. */
  line: number;
  /** 1-based line it is about. */
  target: number;
}

export interface Fixture {
  ruleFolder: string;
  /** Real path, relative to the package root. */
  file: string;
  /** Path used for kind detection. */
  virtualPath: string;
  release?: string;
  text: string;
  annotations: Annotation[];
}

const ANNOTATION = /^\s*#\s*(expect|ok|todo-expect):\s*([A-Za-z0-9_,\s-]+?)\s*$/;
const HEADER_LINES = 5;

/** Rule folders: every folder under rules/ except the knowledge data. */
export function ruleFolders(): string[] {
  return readdirSync(RULES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'knowledge')
    .map((d) => d.name)
    .sort();
}

export function fixturesOf(ruleFolder: string): Fixture[] {
  const dir = join(RULES_DIR, ruleFolder, 'fixtures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => readFixture(ruleFolder, join(dir, name)));
}

export function readFixture(ruleFolder: string, absolute: string): Fixture {
  const text = readFileSync(absolute, 'utf8');
  const lines = text.split('\n');
  const file = relative(ROOT, absolute).split('\\').join('/');
  let virtualPath = file;
  let release: string | undefined;
  lines.slice(0, HEADER_LINES).forEach((line, i) => {
    const path = /^\s*#\s*path:\s*(\S+)\s*$/.exec(line);
    if (path?.[1] !== undefined && i === 0) virtualPath = path[1];
    const series = /^\s*#\s*release:\s*(\S+)\s*$/.exec(line);
    if (series?.[1] !== undefined) release = series[1];
  });
  const annotations: Annotation[] = [];
  let pending: Omit<Annotation, 'target'>[] = [];
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      for (const id of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
        pending.push({ kind: m[1] as AnnotationKind, ruleId: id, line: i + 1 });
      }
      return;
    }
    annotations.push(...pending.map((a) => ({ ...a, target: i + 1 })));
    pending = [];
  });
  return { ruleFolder, file, virtualPath, ...(release !== undefined ? { release } : {}), text, annotations };
}
