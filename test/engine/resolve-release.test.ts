/** Release resolution: branch patterns, precedence, code names, unknown series. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRelease, seriesOfBranch, UnknownReleaseError } from '../../src/engine/resolve-release.js';
import { knowledge } from './helpers.js';

describe('seriesOfBranch', () => {
  const cases: [string, string | undefined][] = [
    ['stable/wallaby', 'wallaby'],
    ['stable/2024.1', '2024.1'],
    ['unmaintained/zed', 'zed'],
    ['unmaintained/2023.1', '2023.1'],
    ['wallaby-eol', 'wallaby'],
    ['yoga-eom', 'yoga'],
    ['refs/heads/stable/train', 'train'],
    ['master', undefined],
    ['main', undefined],
    ['feature/stable-wallaby', undefined],
    ['stable/wallaby/extra', undefined],
  ];
  for (const [branch, series] of cases) it(`${branch} -> ${series}`, () => assert.equal(seriesOfBranch(branch), series));
});

describe('resolveRelease', () => {
  const newest = knowledge.releases[knowledge.releases.length - 1]!;

  it('defaults to the newest series, also for branches that name no known series', () => {
    for (const inputs of [{}, { branch: 'master' }, { branch: 'stable/havana' }]) {
      const r = resolveRelease(inputs, knowledge);
      assert.deepEqual([r.series, r.source], [newest.series, 'default']);
    }
  });

  it('follows option > config > branch', () => {
    const all = { option: 'train', config: 'zed', branch: 'stable/wallaby' };
    assert.equal(resolveRelease(all, knowledge).source, 'option');
    assert.equal(resolveRelease({ config: 'zed', branch: 'stable/wallaby' }, knowledge).series, 'zed');
    assert.equal(resolveRelease({ branch: 'stable/wallaby' }, knowledge).series, 'wallaby');
  });

  it('is case-insensitive', () => {
    assert.equal(resolveRelease({ option: 'Wallaby' }, knowledge).series, 'wallaby');
  });

  it('accepts the code names of numbered series', () => {
    assert.equal(resolveRelease({ option: 'Caracal' }, knowledge).series, '2024.1');
    assert.equal(resolveRelease({ option: 'flamingo' }, knowledge).novaMajor, 32);
  });

  it('throws a clear error for an unknown option or config series', () => {
    for (const inputs of [{ option: 'havana' }, { config: 'havana' }]) {
      assert.throws(
        () => resolveRelease(inputs, knowledge),
        (e: unknown) => e instanceof UnknownReleaseError && /known series: stein, train, .*2026\.1/.test(e.message),
      );
    }
  });

  it('returns a copy of the series facts', () => {
    const r = resolveRelease({ option: 'stein' }, knowledge);
    assert.deepEqual(r, { series: 'stein', novaMajor: 19, osloMessaging: { min: '9.5', max: '9.5' }, puppetMajor: 14, source: 'option' });
  });
});
