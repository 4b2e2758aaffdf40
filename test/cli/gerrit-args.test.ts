/** `heartbeat-bot gerrit review <change>`: every form of <change>, options, and usage errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliArgs } from '../../src/cli/parse-args.js';
import { parseChangeArg } from '../../src/cli/gerrit-args.js';
import { CliError } from '../../src/cli/cli-error.js';

test('<change> as a number, project~number (encoded or not) and review URLs', () => {
  assert.deepEqual(parseChangeArg('12345'), { change: 12345 });
  assert.deepEqual(parseChangeArg('openstack/puppet-nova~12345'), { project: 'openstack/puppet-nova', change: 12345 });
  assert.deepEqual(parseChangeArg('openstack%2Fpuppet-nova~12345'), { project: 'openstack/puppet-nova', change: 12345 });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/c/openstack/puppet-nova/+/12345'), {
    url: 'https://review.opendev.org',
    project: 'openstack/puppet-nova',
    change: 12345,
  });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/c/openstack/puppet-nova/+/12345/3'), {
    url: 'https://review.opendev.org',
    project: 'openstack/puppet-nova',
    change: 12345,
    patchSet: 3,
  });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/c/openstack/tripleo-heat-templates/+/901/1..4/environments/x.yaml'), {
    url: 'https://review.opendev.org',
    project: 'openstack/tripleo-heat-templates',
    change: 901,
    patchSet: 4,
  });
  assert.deepEqual(parseChangeArg('https://gerrit.example.com/r/c/infra/deploy/+/77/'), { url: 'https://gerrit.example.com/r', project: 'infra/deploy', change: 77 });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/c/+/12345/2'), { url: 'https://review.opendev.org', change: 12345, patchSet: 2 });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/#/c/12345/3'), { url: 'https://review.opendev.org', change: 12345, patchSet: 3 });
  assert.deepEqual(parseChangeArg('https://review.opendev.org/12345'), { url: 'https://review.opendev.org', change: 12345 });
  for (const bad of ['0', '-3', 'abc', 'I8f3a…', 'openstack/nova~master~Iabc', 'https://review.opendev.org/q/status:open', '~12', 'a b~1']) {
    assert.equal(parseChangeArg(bad), undefined, bad);
  }
});

test('gerrit review parses into a command; --project and --patchset fill in what the change does not say', () => {
  assert.deepEqual(parseCliArgs(['gerrit', 'review', '12345']), { command: 'gerrit-review', change: 12345, dryRun: false, failLevel: 'error' });
  assert.deepEqual(parseCliArgs(['gerrit', 'review', '12345', '--project', 'openstack/puppet-nova', '--patchset', '2', '--dry-run', '--fail-level', 'warning']), {
    command: 'gerrit-review',
    change: 12345,
    project: 'openstack/puppet-nova',
    patchSet: 2,
    dryRun: true,
    failLevel: 'warning',
  });
  assert.deepEqual(parseCliArgs(['gerrit', 'review', 'https://review.opendev.org/c/openstack/puppet-nova/+/12345/3']), {
    command: 'gerrit-review',
    change: 12345,
    url: 'https://review.opendev.org',
    project: 'openstack/puppet-nova',
    patchSet: 3,
    dryRun: false,
    failLevel: 'error',
  });
  // Agreeing options are fine.
  assert.equal(parseCliArgs(['gerrit', 'review', 'openstack/puppet-nova~1', '--project', 'openstack/puppet-nova']).command, 'gerrit-review');
});

const USAGE: [string[], RegExp][] = [
  [['gerrit'], /missing subcommand: gerrit review/],
  [['gerrit', 'push'], /unknown subcommand 'gerrit push'/],
  [['gerrit', 'review'], /gerrit review needs a change/],
  [['gerrit', 'review', '1', '2'], /takes one change/],
  [['gerrit', 'review', 'nova'], /'nova' is not a change/],
  [['gerrit', 'review', '1', '--patchset', 'x'], /--patchset must be a patch set number, not 'x'/],
  [['gerrit', 'review', '1', '--project', 'a b'], /--project must be a project name/],
  [['gerrit', 'review', 'a/b~1', '--project', 'c/d'], /--project c\/d contradicts the change's project a\/b/],
  [['gerrit', 'review', 'https://review.opendev.org/c/a/+/1/3', '--patchset', '2'], /--patchset 2 contradicts patch set 3/],
  [['gerrit', 'review', '1', '--format', 'json'], /--format is not an option of gerrit review/],
  [['gerrit', 'review', '1', '--pr', '3'], /--pr is not an option of gerrit review/],
  [['gerrit', 'review', '1', '--release', 'zed'], /--release is not an option of gerrit review/],
  [['gerrit', 'review', '1', '--fail-level', 'fatal'], /--fail-level must be one of none, info, warning, error/],
  [['check', '--project', 'x'], /--project is an option of gerrit review/],
  [['github', 'review', '--patchset', '2'], /--patchset is an option of gerrit review/],
];

for (const [argv, message] of USAGE) {
  test(`usage error: ${argv.join(' ')}`, () => {
    assert.throws(() => parseCliArgs(argv), (error: unknown) => error instanceof CliError && message.test(error.message));
  });
}
