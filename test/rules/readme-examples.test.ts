/**
 * Every rule README's examples run through the engine, as ESLint's check-rule-examples does: each fenced block
 * under `## Bad` must produce at least one finding of that rule, each block under `## Good` none (and both must
 * parse cleanly: a Good example that does not parse proves nothing). Findings of other rules are ignored.
 *
 * How a block is reviewed:
 * - as one file, kind from the fence language: `puppet` -> manifests/example.pp; `yaml` -> hieradata/common.yaml,
 *   or environments/example.yaml for heat keys (parameter_defaults, resource_registry, heat_template_version);
 *   `ini` -> etc/nova/nova.conf, or etc/uwsgi/example.ini for a `[uwsgi]` file; `apache` -> etc/httpd/conf.d/example.conf;
 *   `erb` -> templates/example.conf.erb; `python` -> example.py;
 * - a first line `# path: <path>` or `# <path>` (a repository path, with a `/`) names the file instead, and so does
 *   the info string `path=<path>`: ```ini path=etc/neutron/neutron.conf```;
 * - `release=<series>` in the info string sets the target series (default: the newest);
 * - a ```diff``` block is a change: `-` lines are the old file, `+` lines the new one, ` ` lines both; the path comes
 *   from its `+++ b/<path>` header (or `path=`). Rules about removed lines are checked this way;
 * - a block whose info string has `commit-message` is not checked: its text is the commit message of the next block
 *   of the same section (rules that read the commit message);
 * - `no-check` in the info string skips the block. Keep skips rare: a skipped example is an unchecked claim.
 * Every README must have at least one checked Bad block.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import type { ChangeSet, FileChange } from '../../src/model/change-set.js';
import type { Knowledge } from '../../src/model/knowledge.js';
import type { Rule } from '../../src/model/rule.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import { ruleFolders, RULES_DIR } from './read-fixtures.js';

interface Example {
  section: 'Bad' | 'Good';
  /** 1-based line of the opening fence in README.md. */
  line: number;
  language: string;
  options: Map<string, string | true>;
  body: string;
  commitMessage?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(.*)$/;
const SECTION = /^(#{2,3})\s+(Bad|Good)\b/;
const HEADING = /^(#{1,6})\s/;

/** The fenced blocks under the README's Bad and Good headings, with their info-string options. */
function examplesOf(readme: string): Example[] {
  const lines = readme.split('\n');
  const examples: Example[] = [];
  let section: { name: 'Bad' | 'Good'; level: number } | undefined;
  let pendingCommit: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const heading = HEADING.exec(text);
    if (heading?.[1] !== undefined) {
      const s = SECTION.exec(text);
      if (s?.[1] !== undefined && s[2] !== undefined) section = { name: s[2] as 'Bad' | 'Good', level: s[1].length };
      else if (section !== undefined && heading[1].length <= section.level) section = undefined;
      pendingCommit = undefined;
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence?.[2] === undefined) continue;
    const marker = fence[2];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] ?? '').trim().startsWith(marker); j++) body.push(lines[j] ?? '');
    const [language = '', ...words] = (fence[3] ?? '').trim().split(/\s+/);
    const options = new Map<string, string | true>(
      words.filter(Boolean).map((w) => {
        const eq = w.indexOf('=');
        return eq < 0 ? [w, true] : [w.slice(0, eq), w.slice(eq + 1)];
      }),
    );
    if (section !== undefined) {
      if (options.has('commit-message')) pendingCommit = body.join('\n');
      else {
        const example: Example = { section: section.name, line: i + 1, language, options, body: `${body.join('\n')}\n` };
        if (pendingCommit !== undefined) example.commitMessage = pendingCommit;
        pendingCommit = undefined;
        examples.push(example);
      }
    }
    i = j;
  }
  return examples;
}

const HEAT_KEYS = /^(?:heat_template_version|parameter_defaults|resource_registry):/m;

/** The path a block is reviewed as: `path=`, a path comment on its first line, or the language's default. */
function pathOf(example: Example): string | undefined {
  const given = example.options.get('path');
  if (typeof given === 'string') return given;
  const first = example.body.split('\n')[0] ?? '';
  const comment = /^\s*(?:#|;|\/\/)\s*(?:path:\s*)?([\w.@-]+(?:\/[\w.@-]+)+\.[\w.]+)(?:[\s,:]|$)/.exec(first);
  if (comment?.[1] !== undefined) return comment[1];
  switch (example.language) {
    case 'puppet':
    case 'pp':
      return 'manifests/example.pp';
    case 'yaml':
    case 'yml':
      return HEAT_KEYS.test(example.body) ? 'environments/example.yaml' : 'hieradata/common.yaml';
    case 'ini':
    case 'cfg':
      return /^\s*\[uwsgi\]/m.test(example.body) ? 'etc/uwsgi/example.ini' : 'etc/nova/nova.conf';
    case 'apache':
    case 'apacheconf':
    case 'httpd':
      return 'etc/httpd/conf.d/example.conf';
    case 'erb':
      return 'templates/example.conf.erb';
    case 'python':
    case 'py':
      return 'example.py';
    default:
      return undefined;
  }
}

/** A diff block as a modified file: old and new contents from its lines, path from `+++ b/<path>` or `path=`. */
function changeOfDiff(example: Example): FileChange | undefined {
  const oldLines: string[] = [];
  const newLines: string[] = [];
  let path = typeof example.options.get('path') === 'string' ? (example.options.get('path') as string) : undefined;
  for (const line of example.body.replace(/\n$/, '').split('\n')) {
    const header = /^\+\+\+ (?:b\/)?(\S+)/.exec(line);
    if (header?.[1] !== undefined) {
      path ??= header[1];
      continue;
    }
    if (/^(?:---|@@|diff --git|index )/.test(line)) continue;
    const op = line[0];
    const rest = line.slice(1);
    if (op === '-') oldLines.push(rest);
    else if (op === '+') newLines.push(rest);
    else {
      oldLines.push(op === ' ' ? rest : line);
      newLines.push(op === ' ' ? rest : line);
    }
  }
  if (path === undefined) return undefined;
  return { path, status: 'modified', oldContent: `${oldLines.join('\n')}\n`, newContent: `${newLines.join('\n')}\n` };
}

let rules: Rule[];
let knowledge: Knowledge;
before(async () => {
  rules = await loadRules();
  knowledge = loadKnowledge();
});

for (const folder of ruleFolders()) {
  const readmePath = join(RULES_DIR, folder, 'README.md');
  if (!existsSync(readmePath)) continue;
  const examples = examplesOf(readFileSync(readmePath, 'utf8'));
  describe(`rules/${folder}/README.md examples`, () => {
    it('has at least one checked Bad example', () => {
      assert.ok(
        examples.some((e) => e.section === 'Bad' && !e.options.has('no-check')),
        `rules/${folder}/README.md has no checked fenced block under "## Bad". An example that needs context can ` +
          'get it: release=<series> and path=<path> in the info string, a ```text commit-message``` block before it, or a ' +
          '```diff``` block (with a +++ b/<path> header) for a change; see the header of test/rules/readme-examples.test.ts',
      );
    });
    for (const example of examples) {
      if (example.options.has('no-check')) continue;
      it(`${example.section} (line ${example.line}, \`\`\`${example.language})`, () => checkExample(folder, example));
    }
  });
}

function checkExample(ruleId: string, example: Example): void {
  const where = `rules/${ruleId}/README.md:${example.line} (## ${example.section}, \`\`\`${example.language} block)`;
  const isDiff = example.language === 'diff';
  const file: FileChange | undefined = isDiff
    ? changeOfDiff(example)
    : ((path) => (path === undefined ? undefined : { path, status: 'added' as const, newContent: example.body }))(pathOf(example));
  assert.ok(
    file !== undefined,
    `${where}: cannot tell what file this is. Use a fence language of puppet, yaml, ini, apache, erb, python or diff ` +
      '(with a +++ b/<path> header), name the file with path=<path> or a first-line "# <path>" comment, or mark it no-check',
  );
  const release = example.options.get('release');
  const changeSet: ChangeSet = { files: [file], ...(isDiff ? {} : { wholeFiles: true }) };
  if (example.commitMessage !== undefined) changeSet.commitMessage = example.commitMessage;
  const result = review(changeSet, rules, knowledge, typeof release === 'string' ? { release } : {});
  const context = `${where}, reviewed as ${file.path}${isDiff ? ' (a change)' : ''}, release ${result.release.series}`;
  assert.deepEqual(result.skipped, [], `${context}: not reviewed (${result.skipped.map((s) => s.reason).join(', ')}); name a path of a kind the rule reads`);
  assert.deepEqual(
    result.errors.map((e) => e.message),
    [],
    `${context}: the example does not parse cleanly, so it proves nothing; fix its syntax`,
  );
  const mine = result.findings.filter((f) => f.ruleId === ruleId);
  if (example.section === 'Bad') {
    const others = result.findings.map((f) => `${f.ruleId}@${f.line}`).join(', ') || 'none';
    assert.ok(
      mine.length > 0,
      `${context}: a Bad example must produce at least one ${ruleId} finding, and produced none (other findings: ${others}). ` +
        'Fix the example, give it the context it needs (path=, release=, a commit-message block, a diff), or mark it no-check.',
    );
  } else {
    assert.deepEqual(
      mine.map((f) => `line ${f.line}: ${f.message}`),
      [],
      `${context}: a Good example must produce no ${ruleId} finding`,
    );
  }
}

describe('the README example reader', () => {
  const readme = [
    '# x',
    '## Bad',
    '```text commit-message',
    'Switch Apache to the event MPM to fix AMQP heartbeat timeouts',
    '```',
    '```yaml release=wallaby',
    'apache::mpm_module: event',
    '```',
    '```diff',
    '--- a/etc/nova/nova.conf',
    '+++ b/etc/nova/nova.conf',
    '@@ -1,2 +1,2 @@',
    ' [oslo_messaging_rabbit]',
    '-heartbeat_timeout_threshold = 60',
    '+heartbeat_timeout_threshold = 0',
    '```',
    '### Good',
    '```ini no-check',
    '# etc/neutron/neutron.conf',
    '```',
    '## How to fix',
    '```yaml',
    'not: an example',
    '```',
  ].join('\n');
  const examples = examplesOf(readme);

  it('reads sections, info-string options and commit messages, and stops at the next heading', () => {
    assert.deepEqual(
      examples.map((e) => [e.section, e.line, e.language, Object.fromEntries(e.options), e.commitMessage]),
      [
        ['Bad', 6, 'yaml', { release: 'wallaby' }, 'Switch Apache to the event MPM to fix AMQP heartbeat timeouts'],
        ['Bad', 9, 'diff', {}, undefined],
        ['Good', 18, 'ini', { 'no-check': true }, undefined],
      ],
    );
    assert.equal(pathOf(examples[2]!), 'etc/neutron/neutron.conf');
  });

  it('turns a diff block into a change with both sides, and checks it', () => {
    assert.deepEqual(changeOfDiff(examples[1]!), {
      path: 'etc/nova/nova.conf',
      status: 'modified',
      oldContent: '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 60\n',
      newContent: '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n',
    });
    checkExample('heartbeat-disabled', examples[1]!);
    assert.throws(() => checkExample('heartbeat-disabled', { ...examples[1]!, section: 'Good' }), /must produce no heartbeat-disabled finding/);
  });

  it('says precisely what is wrong with a Bad example that does not fire', () => {
    const quiet: Example = { section: 'Bad', line: 7, language: 'ini', options: new Map(), body: '[DEFAULT]\ndebug = true\n' };
    assert.throws(
      () => checkExample('heartbeat-disabled', quiet),
      /^AssertionError.*rules\/heartbeat-disabled\/README\.md:7 \(## Bad, ```ini block\), reviewed as etc\/nova\/nova\.conf, release \S+: a Bad example must produce at least one heartbeat-disabled finding/s,
    );
  });
});
