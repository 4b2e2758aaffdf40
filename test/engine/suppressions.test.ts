/** The suppression comment grammar, line by line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FileSuppressions, parseSuppression } from '../../src/engine/suppressions.js';

describe('parseSuppression', () => {
  const cases: [string, ReturnType<typeof parseSuppression>][] = [
    ['# heartbeat-bot: ignore heartbeat-disabled -- lab only', { line: 1, ruleIds: ['heartbeat-disabled'], reason: 'lab only' }],
    ['  ;heartbeat-bot: ignore a, b -- two rules', { line: 1, ruleIds: ['a', 'b'], reason: 'two rules' }],
    ['// heartbeat-bot:ignore a--x', { line: 1, ruleIds: ['a'], reason: 'x' }],
    ['# heartbeat-bot: ignore a', { line: 1, ruleIds: ['a'] }],
    ['# heartbeat-bot: ignore a --   ', { line: 1, ruleIds: ['a'] }],
    ['# heartbeat-bot: ignore a -- reason\r', { line: 1, ruleIds: ['a'], reason: 'reason' }],
    ['# heartbeat-bot: ignore', undefined],
    ['# heartbeat-bot: disable a -- x', undefined],
    ['threads = 4 # heartbeat-bot: ignore a -- trailing comments do not count', undefined],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(parseSuppression(text, 1), expected));
});

describe('FileSuppressions', () => {
  const file = new FileSuppressions(
    ['# heartbeat-bot: ignore a -- one', '# note', 'x = 1', '', '# heartbeat-bot: ignore b', 'y = 2'].join('\n'),
  );
  it('finds the suppression in the comment block above', () => {
    assert.equal(file.find('a', 3)?.reason, 'one');
    assert.equal(file.find('b', 6)?.line, 5);
  });
  it('does not cross non-comment lines or match other rules', () => {
    assert.equal(file.find('a', 6), undefined);
    assert.equal(file.find('b', 3), undefined);
    assert.equal(file.find('a', 1), undefined);
  });
});

describe('FileSuppressions.all', () => {
  it('lists every suppression comment in line order, and nothing else', () => {
    const file = new FileSuppressions(
      ['x = 1 # heartbeat-bot: ignore a -- trailing', '# heartbeat-bot: ignore b', '; heartbeat-bot: ignore c, d -- r'].join('\n'),
    );
    assert.deepEqual(file.all(), [
      { line: 2, ruleIds: ['b'] },
      { line: 3, ruleIds: ['c', 'd'], reason: 'r' },
    ]);
  });
});
