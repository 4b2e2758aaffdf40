/** review() honours `heartbeat-bot: ignore <rule-id> -- <reason>` comments above a finding's line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import { added, knowledge, lineRule } from './helpers.js';

const bad = lineRule('test-bad', /bad/);
const other = lineRule('test-other', /bad/);
const run = (path: string, text: string, kinds = ['ini'] as const) =>
  review({ files: [added(path, text)] }, [lineRule('test-bad', /bad/, { kinds: [...kinds] }), other], knowledge);

describe('review: suppressions', () => {
  it('suppresses the named rule on the next line only, and no other rule', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad -- tested elsewhere', 'a = bad', 'b = bad', ''].join('\n');
    const result = review({ files: [added('etc/nova/nova.conf', text)] }, [bad, other], knowledge);
    assert.deepEqual(result.findings.map((f) => `${f.line}:${f.ruleId}`), ['3:test-other', '4:test-bad', '4:test-other']);
    assert.deepEqual(result.errors, []);
  });

  it('accepts stacked ignores, several ids, explaining comments in between, and `;` leaders', () => {
    const text = [
      '[DEFAULT]',
      '; heartbeat-bot: ignore test-bad -- reason one',
      '# we need this because of the lab network',
      '# heartbeat-bot: ignore test-other -- reason two',
      'a = bad',
      '# heartbeat-bot: ignore test-bad, test-other -- both',
      'b = bad',
      '',
    ].join('\n');
    const result = run('etc/nova/nova.conf', text);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.errors, []);
  });

  it('does not reach across a blank or a non-comment line', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad -- too far', '', 'a = bad', ''].join('\n');
    assert.deepEqual(run('etc/nova/nova.conf', text).findings.map((f) => f.ruleId), ['test-bad', 'test-other']);
  });

  it('still suppresses without a reason, but reports the missing reason once', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad', 'a = bad', ''].join('\n');
    const result = run('etc/nova/nova.conf', text);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['test-other']);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.path, 'etc/nova/nova.conf');
    assert.match(result.errors[0]!.message, /^suppression without a reason at line 2: .*test-bad/);
  });

  it('ignores unused suppressions, even without a reason', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad', 'a = good', '# heartbeat-bot: ignore nothing-here -- x', 'b = 1', ''].join('\n');
    const result = run('etc/nova/nova.conf', text);
    assert.deepEqual([result.findings, result.errors], [[], []]);
  });

  it('works with // comments too', () => {
    const text = ['[DEFAULT]', '// heartbeat-bot: ignore test-bad -- generated file', 'a = bad', ''].join('\n');
    assert.deepEqual(run('etc/nova/nova.conf', text).findings.map((f) => f.ruleId), ['test-other']);
  });
});
