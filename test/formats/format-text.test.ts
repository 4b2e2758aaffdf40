/** `--format text`: the stylish layout, plain unless colour is asked for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatText } from '../../src/formats/format-text.js';
import { sampleReport } from './sample-report.js';

test('text output snapshot', () => {
  const out = formatText(sampleReport(), { version: '0.1.0' });
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
    ].join('\n'),
  );
  assert.doesNotMatch(out, /\u001b\[/);
});

test('colour codes only when asked', () => {
  assert.match(formatText(sampleReport(), { version: '0', color: true }), /\u001b\[31merror/);
});

test('nothing to say prints nothing', () => {
  assert.equal(formatText({ findings: [], errors: [], skipped: [], stats: { files: 3, bytes: 10, ms: 1 }, rules: [] }, { version: '0' }), '');
});
