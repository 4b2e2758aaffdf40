/**
 * Version comparison and the release matrix: for every series, what the shipped knowledge says about
 * heartbeat_in_pthread (default, deprecated, removed), the puppet parameters, heartbeat_rate's default and
 * nova's eventlet window. One row per series, so a changed fact shows up as one changed row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import { resolveRelease } from '../../src/engine/resolve-release.js';
import {
  atLeast,
  compareVersions,
  lifecycleAt,
  novaApiEventletPatched,
  osloOptionOn,
  puppetParameterOn,
} from '../../src/settings/version.js';

test('dotted versions compare numerically per part, missing parts are 0', () => {
  const cases: [string | number, string | number, number][] = [
    ['12.13', '12.6.0', 1],
    ['12.7', '12.13', -1],
    ['14.0', '14.0.0', 0],
    ['14.9', '14.9.0', 0],
    ['14.7', '14.9.0', -1],
    ['18.0', '18.0.0', 0],
    ['v1.10', '1.9.0', 1],
    ['17.3', '18.0.0', -1],
    [27, 26, 1],
    [26, 26, 0],
  ];
  for (const [a, b, want] of cases) assert.equal(compareVersions(a, b), want, `${a} vs ${b}`);
  assert.ok(atLeast('14.5', '14.5.0'));
  assert.ok(!atLeast('14.4', '14.5.0'));
});

test('a lifecycle before it was added does not exist and has no default', () => {
  const state = lifecycleAt(loadKnowledge().osloMessagingOption('heartbeat_in_pthread')!, '9.5');
  assert.deepEqual([state.exists, state.deprecated, state.removed, state.default], [false, false, false, undefined]);
});

type Row = [
  series: string,
  pthreadDefault: boolean | undefined,
  pthreadState: 'absent' | 'ok' | 'deprecated' | 'removed',
  puppetParam: 'ok' | 'deprecated' | 'removed',
  heartbeatRate: number,
  novaPatched: boolean,
];

// prettier-ignore
const MATRIX: Row[] = [
  ['stein',    undefined, 'absent',     'ok',         2, true],
  ['train',    false,     'ok',         'ok',         2, true],
  ['ussuri',   false,     'ok',         'ok',         2, true],
  ['victoria', false,     'ok',         'ok',         2, true],
  ['wallaby',  true,      'ok',         'ok',         2, true],
  ['xena',     true,      'ok',         'ok',         2, true],
  ['yoga',     true,      'ok',         'ok',         2, true],
  ['zed',      false,     'ok',         'ok',         2, true],
  ['2023.1',   false,     'ok',         'ok',         2, true],
  ['2023.2',   false,     'ok',         'ok',         2, true],
  ['2024.1',   false,     'ok',         'ok',         3, true],
  ['2024.2',   false,     'deprecated', 'ok',         3, true],
  ['2025.1',   false,     'deprecated', 'deprecated', 3, true],
  ['2025.2',   false,     'deprecated', 'removed',    3, true],
  ['2026.1',   false,     'deprecated', 'removed',    3, false],
  ['2026.2',   undefined, 'removed',    'removed',    3, false],
];

test('the release matrix: every known series has a row', () => {
  assert.deepEqual(MATRIX.map((r) => r[0]), loadKnowledge().releases.map((r) => r.series));
});

for (const [series, pthreadDefault, pthreadState, puppetParam, heartbeatRate, novaPatched] of MATRIX) {
  test(`release matrix: ${series}`, () => {
    const k = loadKnowledge();
    const release = resolveRelease({ option: series }, k);
    const pthread = osloOptionOn(k, release, 'heartbeat_in_pthread')!;
    assert.equal(pthread.default, pthreadDefault, 'heartbeat_in_pthread default');
    const state = pthread.removed ? 'removed' : pthread.deprecated ? 'deprecated' : pthread.exists ? 'ok' : 'absent';
    assert.equal(state, pthreadState, 'heartbeat_in_pthread state');
    for (const name of ['nova::rabbit_heartbeat_in_pthread', 'glance::notify::rabbitmq::rabbit_heartbeat_in_pthread', 'oslo::messaging::rabbit::heartbeat_in_pthread']) {
      const p = puppetParameterOn(k, release, name)!;
      assert.equal(p.removed ? 'removed' : p.deprecated ? 'deprecated' : 'ok', puppetParam, name);
    }
    assert.equal(osloOptionOn(k, release, 'heartbeat_rate')?.default, heartbeatRate, 'heartbeat_rate default');
    assert.equal(osloOptionOn(k, release, 'heartbeat_timeout_threshold')?.default, 60);
    assert.equal(novaApiEventletPatched(k, release), novaPatched, 'nova API eventlet-patched');
  });
}

test('unknown options and parameters have no timeline', () => {
  const k = loadKnowledge();
  const release = resolveRelease({ option: 'wallaby' }, k);
  assert.equal(osloOptionOn(k, release, 'kombu_reconnect_delay'), undefined);
  assert.equal(puppetParameterOn(k, release, 'nova::rabbit_heartbeat_timeout_threshold'), undefined);
  assert.equal(puppetParameterOn(k, release, 'oslo::messaging::rabbit::heartbeat_rate'), undefined);
  assert.ok(puppetParameterOn(k, release, '::nova::rabbit_heartbeat_in_pthread'), 'top-scope names match too');
});
