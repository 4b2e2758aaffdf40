/** The command line contract: help, version, and exit 2 with one clear line for every usage error. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOneLineError, runCli } from './run-cli.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

test('--help prints usage and exits 0', () => {
  const r = runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /heartbeat-bot check \[PATH\.\.\.\]/);
  assert.match(r.stdout, /--fail-level none\|info\|warning\|error/);
  assert.equal(runCli(['review', '-h']).code, 0);
});

test('--version prints the package version and exits 0', () => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${VERSION}\n`);
});

const USAGE_ERRORS: [string[], RegExp][] = [
  [['check', '--bogus'], /^heartbeat-bot: unknown option --bogus \(see heartbeat-bot --help\)$/],
  [[], /missing command/],
  [['lint'], /unknown command 'lint'/],
  [['check', '--format', 'xml'], /--format must be one of text, json, sarif, rdjson, not 'xml'/],
  [['check', '--filter', 'changed'], /--filter must be one of added, diff_context, file, nofilter/],
  [['check', '--fail-level', 'any'], /--fail-level must be one of none, info, warning, error/],
  [['review', '--repo', '.'], /review needs --base REV/],
  [['check', '--base', 'HEAD~1'], /--base is an option of review, not check/],
  [['check', '--format'], /option --format needs a value/],
  [['check', 'no/such/path'], /no such file or directory: no\/such\/path/],
  [['check', '--config', 'no-such.yml', '.'], /no such configuration file: no-such.yml/],
  [['review', '--base', '--head'], /needs a value/],
  [['check', '--release', 'kilimanjaro', '.'], /unknown OpenStack series 'kilimanjaro'/],
];

for (const [args, message] of USAGE_ERRORS) {
  test(`usage error exits 2 with one line: ${args.join(' ') || '(no arguments)'}`, () => {
    const r = runCli(args, { cwd: new URL('../../../test/cli/', import.meta.url).pathname });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.trimEnd(), message);
    assert.ok(isOneLineError(r.stderr), r.stderr);
    assert.equal(r.stdout, '');
  });
}
