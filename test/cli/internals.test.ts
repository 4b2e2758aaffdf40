/** The CLI's pure pieces: git output parsers, branch choice, exit status, content decoding, colour. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRawDiff } from '../../src/cli/parse-raw-diff.js';
import { parseBatchOutput } from '../../src/cli/cat-file-batch.js';
import { branchOfRef } from '../../src/cli/read-git-change.js';
import { chooseBranch } from '../../src/cli/choose-branch.js';
import { exitCodeFor } from '../../src/cli/exit-code.js';
import { decodeContent, MAX_FILE_BYTES } from '../../src/cli/decode-content.js';
import { useColor } from '../../src/cli/use-color.js';
import { gitReason } from '../../src/cli/run-git.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

test('parseRawDiff: raw records with renames, then numstat with binary markers', () => {
  const output = [
    `:000000 100644 ${Z} ${A} A`, 'files/logo.png',
    `:100644 100644 ${A} ${B} M`, 'etc/nova/nova.conf',
    `:100644 100644 ${A} ${B} R086`, 'manifests/old.pp', 'manifests/wsgi.pp',
    `:100644 000000 ${A} ${Z} D`, 'gone.conf',
    `:100644 120000 ${A} ${B} T`, 'link',
    '-\t-\tfiles/logo.png',
    '1\t1\tetc/nova/nova.conf',
    '1\t1\t', 'manifests/old.pp', 'manifests/wsgi.pp',
    '0\t2\tgone.conf',
    '1\t1\tlink',
    '',
  ].join('\0');
  assert.deepEqual(
    parseRawDiff(output).map((e) => [e.status, e.oldPath, e.path, e.binary, e.newMode]),
    [
      ['A', 'files/logo.png', 'files/logo.png', true, '100644'],
      ['M', 'etc/nova/nova.conf', 'etc/nova/nova.conf', false, '100644'],
      ['R', 'manifests/old.pp', 'manifests/wsgi.pp', false, '100644'],
      ['D', 'gone.conf', 'gone.conf', false, '000000'],
      ['T', 'link', 'link', false, '120000'],
    ],
  );
  assert.deepEqual(parseRawDiff(''), []);
});

test('parseRawDiff: paths with tabs, newlines and colons survive -z', () => {
  const output = [`:100644 100644 ${A} ${B} M`, ':odd\tname\n.conf', '1\t0\t:odd\tname\n.conf', ''].join('\0');
  const [entry] = parseRawDiff(output);
  assert.equal(entry?.path, ':odd\tname\n.conf');
});

test('parseBatchOutput: framed objects, missing names, content with newlines', () => {
  const body = Buffer.from('a\nb\n');
  const output = Buffer.concat([
    Buffer.from(`${A} blob ${body.length}\n`), body, Buffer.from('\n'),
    Buffer.from('HEAD:.heartbeat-bot.yml missing\n'),
    Buffer.from(`${B} blob 0\n\n`),
  ]);
  const objects = parseBatchOutput(output, [A, 'HEAD:.heartbeat-bot.yml', B]);
  assert.equal(objects.get(A)?.content.toString(), 'a\nb\n');
  assert.equal(objects.get(A)?.type, 'blob');
  assert.equal(objects.get('HEAD:.heartbeat-bot.yml'), undefined);
  assert.equal(objects.get(B)?.content.length, 0);
});

test('branchOfRef and chooseBranch', () => {
  assert.equal(branchOfRef('refs/heads/stable/wallaby'), 'stable/wallaby');
  assert.equal(branchOfRef('refs/remotes/origin/stable/2024.1'), 'stable/2024.1');
  assert.equal(branchOfRef('refs/remotes/origin/HEAD'), undefined);
  assert.equal(branchOfRef('refs/tags/v1'), undefined);
  assert.equal(branchOfRef(''), undefined);
  const series = (b: string) => /^stable\/(.+)$/.exec(b)?.[1];
  assert.equal(chooseBranch({ head: 'stable/wallaby', base: 'master' }, series), 'stable/wallaby');
  assert.equal(chooseBranch({ head: 'topic', base: 'stable/zed' }, series), 'stable/zed');
  assert.equal(chooseBranch({ head: 'topic', base: 'master' }, series), 'topic');
  assert.equal(chooseBranch({ base: 'master' }, series), 'master');
  assert.equal(chooseBranch({}, series), undefined);
});

test('exitCodeFor: at or above the fail level', () => {
  const findings = [{ severity: 'warning' as const }, { severity: 'info' as const }];
  assert.equal(exitCodeFor(findings, 'error'), 0);
  assert.equal(exitCodeFor(findings, 'warning'), 1);
  assert.equal(exitCodeFor(findings, 'info'), 1);
  assert.equal(exitCodeFor([{ severity: 'error' }], 'none'), 0);
  assert.equal(exitCodeFor([], 'info'), 0);
});

test('decodeContent: text, binary, too large, invalid UTF-8', () => {
  assert.deepEqual(decodeContent(Buffer.from('threads = 1\r\n')), { text: 'threads = 1\r\n' });
  assert.deepEqual(decodeContent(Buffer.from([0x61, 0x00, 0x62])), { skipped: 'binary' });
  assert.deepEqual(decodeContent(Buffer.from('x'), MAX_FILE_BYTES + 1), { skipped: `too large (${MAX_FILE_BYTES + 1} bytes, the limit is ${MAX_FILE_BYTES})` });
  assert.deepEqual(decodeContent(Buffer.from([0x61, 0xff, 0xfe, 0x62])), { skipped: 'not valid UTF-8' });
});

test('useColor: terminal unless NO_COLOR; FORCE_COLOR wins', () => {
  assert.equal(useColor({}, true), true);
  assert.equal(useColor({}, false), false);
  assert.equal(useColor({ NO_COLOR: '1' }, true), false);
  assert.equal(useColor({ FORCE_COLOR: '1' }, false), true);
  assert.equal(useColor({ FORCE_COLOR: '0' }, true), false);
  assert.equal(useColor({ TERM: 'dumb' }, true), false);
});

test('gitReason: the fatal line without its prefix', () => {
  assert.equal(
    gitReason("fatal: ambiguous argument 'x': unknown revision or path not in the working tree.\nUse '--' to separate\n"),
    "ambiguous argument 'x': unknown revision or path not in the working tree.",
  );
  assert.equal(gitReason(''), 'git failed');
});
