/**
 * Reads rule fixtures: the folders under rules/, each fixture's virtual path (`# path: ...` on its first line),
 * header lines among its first ones (`# release: <series>`, `# branch: stable/wallaby`, `# commit-message: ...`)
 * and annotations (`# expect: <id>`, `# ok: <id>`, `# todo-expect: <id>` on the line above the setting line;
 * several ids may be comma-separated, and stacked annotations all point at the first line below them that is not
 * an annotation).
 *
 * Changes: `fixtures/<name>.before.<ext>` next to `fixtures/<name>.<ext>` makes the pair one modified file, the
 * before file its old content and the other its new content; annotations go in the new (after) file, and a
 * removal's `# expect:` goes above the line where the removal lands. `fixtures/<name>.commit-msg` (or a
 * `# commit-message:` header line) is the change's commit message. Neither companion file is a fixture itself.
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
  /** Target branch of the change (`# branch:`), for release resolution from the branch. */
  branch?: string;
  /** The change's commit message: `<name>.commit-msg`, else a `# commit-message:` header line. */
  commitMessage?: string;
  /** Content before the change (`<name>.before.<ext>`): the fixture is then reviewed as a modified file. */
  before?: string;
  text: string;
  annotations: Annotation[];
}

const ANNOTATION = /^\s*#\s*(expect|ok|todo-expect):\s*([A-Za-z0-9_,\s-]+?)\s*$/;
const HEADER_LINES = 8;
/** `<name>.before.<ext>`: the old side of `<name>.<ext>`. */
const BEFORE = /\.before(\.[^.]+)$/;
const COMMIT_MSG = '.commit-msg';

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
    .filter((name) => !name.startsWith('.') && !BEFORE.test(name) && !name.endsWith(COMMIT_MSG))
    .sort()
    .map((name) => readFixture(ruleFolder, join(dir, name)));
}

/** `x.yaml` -> `x.before.yaml`, `x.commit-msg`; the stem is the name up to its last extension. */
function companions(absolute: string): { before: string; commitMsg: string } {
  const dot = absolute.lastIndexOf('.');
  const stem = dot > absolute.lastIndexOf('/') ? absolute.slice(0, dot) : absolute;
  const ext = dot > absolute.lastIndexOf('/') ? absolute.slice(dot) : '';
  return { before: `${stem}.before${ext}`, commitMsg: `${stem}${COMMIT_MSG}` };
}

export function readFixture(ruleFolder: string, absolute: string): Fixture {
  const text = readFileSync(absolute, 'utf8');
  const lines = text.split('\n');
  const file = relative(ROOT, absolute).split('\\').join('/');
  let virtualPath = file;
  const header: { release?: string; branch?: string; commitMessage?: string } = {};
  lines.slice(0, HEADER_LINES).forEach((line, i) => {
    const path = /^\s*#\s*path:\s*(\S+)\s*$/.exec(line);
    if (path?.[1] !== undefined && i === 0) virtualPath = path[1];
    const series = /^\s*#\s*release:\s*(\S+)\s*$/.exec(line);
    if (series?.[1] !== undefined) header.release = series[1];
    const branch = /^\s*#\s*branch:\s*(\S+)\s*$/.exec(line);
    if (branch?.[1] !== undefined) header.branch = branch[1];
    const message = /^\s*#\s*commit-message:\s*(.+?)\s*$/.exec(line);
    if (message?.[1] !== undefined) header.commitMessage = message[1];
  });
  const { before, commitMsg } = companions(absolute);
  if (existsSync(commitMsg)) header.commitMessage = readFileSync(commitMsg, 'utf8');
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
  return {
    ruleFolder,
    file,
    virtualPath,
    ...header,
    ...(existsSync(before) ? { before: readFileSync(before, 'utf8') } : {}),
    text,
    annotations,
  };
}
