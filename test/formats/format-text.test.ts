/** `--format text`: the stylish layout, plain unless colour is asked for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from '../../src/formats/format-text.js';
import { sampleReport } from './sample-report.js';

test('text output snapshot', () => {
  const out = formatText(sampleReport(), { version: '0.1.0', docsBase: 'https://bot.example/rules/' });
  assert.equal(
    out,
    [
      'manifests/broken.pp',
      '  0:0  error  parse error at 3:7: unexpected }',
      '',
      'hieradata/common.yaml',
      '  1:1  error  nova-api runs under eventlet; more than one WSGI thread starves the AMQP heartbeat. Set threads to 1.  nova-wsgi-threads-not-1',
      '  2:5  info   An informational note.                                                                                 some-info',
      '',
      'etc/nova/nova.conf',
      '  2:1  warning  AMQP heartbeats are off, so dead connections go unnoticed.  heartbeat-disabled',
      '',
      '\u2716 3 problems (1 error, 1 warning, 1 info)',
      '\u2716 1 file could not be reviewed',
      '1 file skipped (1 binary)',
      '',
      'Docs:',
      '  heartbeat-disabled       https://bot.example/rules/heartbeat-disabled',
      '  nova-wsgi-threads-not-1  https://bot.example/rules/nova-wsgi-threads-not-1',
      '  some-info                https://bot.example/rules/some-info',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(out, /\u001b\[/);
});

test('without DOCS_URL the docs are the README files of the installed package', () => {
  const out = formatText(sampleReport(), { version: '0' });
  assert.match(out, /^ {2}heartbeat-disabled {7}file:\/\/\S+\/rules\/heartbeat-disabled\/README\.md$/m);
});

test('--explain adds the concurrency table after everything else; without it there is none', () => {
  const report = { ...sampleReport(), findings: [], errors: [], skipped: [] };
  assert.equal(formatText(report, { version: '0' }), '');
  assert.equal(
    formatText(report, { version: '0', explain: true }),
    [
      'Effective concurrency:',
      '  service   server    processes  threads  eventlet  heartbeat    threshold',
      '  nova      ?         ?          ?        unknown   disabled     0',
      '  nova-api  mod_wsgi  ?          4        patched   greenthread  60 (default)',
      '',
    ].join('\n'),
  );
  const full = formatText(sampleReport(), { version: '0', explain: true, docsBase: 'https://x/' });
  assert.match(full, /some-info {16}https:\/\/x\/some-info\n\nEffective concurrency:\n/);
  assert.match(
    formatText({ ...report, summary: [] }, { version: '0', explain: true }),
    /^Effective concurrency: no WSGI or heartbeat settings in this change\n$/,
  );
});

test('colour codes only when asked', () => {
  assert.match(formatText(sampleReport(), { version: '0', color: true }), /\u001b\[31merror/);
});

test('nothing to say prints nothing', () => {
  assert.equal(formatText({ findings: [], errors: [], skipped: [], stats: { files: 3, bytes: 10, ms: 1 }, rules: [] }, { version: '0' }), '');
});
