/**
 * review() honours `heartbeat-bot: ignore <rule-id> -- <reason>` comments above a finding's line, and reports the
 * comments themselves (engine checks suppression-without-reason and unused-suppression, info).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import { added, fakeRule, knowledge, lineRule, modified } from './helpers.js';

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
    // ... and so the comment, separated from the setting, suppresses nothing.
    assert.deepEqual(run('etc/nova/nova.conf', text).findings.map((f) => f.ruleId), ['unused-suppression', 'test-bad', 'test-other']);
  });

  it('still suppresses without a reason, but reports the missing reason as info on the comment', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad', 'a = bad', ''].join('\n');
    const result = run('etc/nova/nova.conf', text);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.severity, f.line, f.column]),
      [
        ['suppression-without-reason', 'info', 2, 1],
        ['test-other', 'warning', 3, 1],
      ],
    );
    assert.match(result.findings[0]!.message, /suppression of test-bad gives no reason.*after '--'/);
    assert.deepEqual(result.errors, []);
  });

  it('reports a suppression that suppresses nothing, saying why, whatever its reason', () => {
    const text = [
      '[DEFAULT]',
      '# heartbeat-bot: ignore test-bad',
      'a = good',
      '  # heartbeat-bot: ignore nothing-here -- x',
      'b = 1',
      '# heartbeat-bot: ignore unused-suppression -- engine checks are configured, not suppressed',
      'c = 1',
      '',
    ].join('\n');
    const result = run('etc/nova/nova.conf', text);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.severity, f.line, f.column]),
      [
        ['unused-suppression', 'info', 2, 1],
        ['unused-suppression', 'info', 4, 3],
        ['unused-suppression', 'info', 6, 1],
      ],
    );
    const [noFinding, unknown, engine] = result.findings.map((f) => f.message);
    assert.match(noFinding!, /suppresses nothing \(no test-bad finding on the line it covers\)\. Remove it/);
    assert.match(unknown!, /nothing-here is not a heartbeat-bot rule/);
    assert.match(engine!, /unused-suppression is an engine check, turned off in \.heartbeat-bot\.yml/);
    assert.deepEqual(result.errors, []);
  });

  it('reports only the unused ids of a comment that names several rules', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad, test-gone -- lab', 'a = bad', ''].join('\n');
    const result = review({ files: [added('etc/nova/nova.conf', text)] }, [bad, lineRule('test-gone', /never/)], knowledge);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.line]), [['unused-suppression', 2]]);
    assert.match(result.findings[0]!.message, /no test-gone finding/);
  });

  it('does not call a suppression unused when its rule is off or failed, and applies configured severities', () => {
    const text = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad, test-throws', 'a = 1', ''].join('\n');
    const throws = fakeRule('test-throws', {}, () => {
      throw new Error('boom');
    });
    const off = review({ files: [added('etc/nova/nova.conf', text)] }, [bad, throws], knowledge, {
      config: { rules: { 'test-bad': 'off' } },
    });
    assert.deepEqual(off.findings, []);
    const raised = review({ files: [added('etc/nova/nova.conf', text)] }, [bad, throws], knowledge, {
      config: { rules: { 'unused-suppression': 'warning' } },
    });
    assert.deepEqual(raised.findings.map((f) => [f.ruleId, f.severity, f.message.includes('test-throws')]), [
      ['unused-suppression', 'warning', false],
    ]);
    const silenced = review({ files: [added('etc/nova/nova.conf', text)] }, [bad, throws], knowledge, {
      config: { rules: { 'unused-suppression': 'off' } },
    });
    assert.deepEqual(silenced.findings, []);
  });

  it('marks suppression findings in the diff: an unchanged comment is not on an added line', () => {
    const before = ['[DEFAULT]', '# heartbeat-bot: ignore test-bad', 'a = 1', 'b = 1', ''].join('\n');
    const after = before.replace('b = 1', 'b = 2');
    const result = review({ files: [modified('etc/nova/nova.conf', before, after)] }, [bad], knowledge);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.line, f.diff.onAddedLine, f.diff.inHunk]), [
      ['unused-suppression', 2, false, true],
    ]);
  });

  it('works with // comments too', () => {
    const text = ['[DEFAULT]', '// heartbeat-bot: ignore test-bad -- generated file', 'a = bad', ''].join('\n');
    assert.deepEqual(run('etc/nova/nova.conf', text).findings.map((f) => f.ruleId), ['test-other']);
  });
});
