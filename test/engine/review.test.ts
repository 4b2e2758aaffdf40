/** review(): the pipeline end to end with small test rules (release, config, skips, isolation, dedupe, sort). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { review } from '../../src/engine/review.js';
import { UnknownReleaseError } from '../../src/engine/resolve-release.js';
import { added, fakeRule, ini, knowledge, lineRule } from './helpers.js';

const bad = lineRule('test-bad', /bad/);

describe('review: release', () => {
  const run = (branch?: string, release?: string, configRelease?: string) =>
    review(
      { files: [], ...(branch !== undefined ? { branch } : {}) },
      [],
      knowledge,
      { ...(release !== undefined ? { release } : {}), ...(configRelease !== undefined ? { config: { release: configRelease } } : {}) },
    ).release;
  const newest = knowledge.releases[knowledge.releases.length - 1]!.series;

  it('defaults to the newest series', () => {
    assert.deepEqual([run().series, run().source], [newest, 'default']);
    assert.deepEqual([run('master').series, run('master').source], [newest, 'default']);
  });

  it('reads the series from the branch', () => {
    for (const [branch, series] of [
      ['stable/wallaby', 'wallaby'],
      ['stable/2024.1', '2024.1'],
      ['unmaintained/zed', 'zed'],
      ['wallaby-eol', 'wallaby'],
      ['refs/heads/stable/train', 'train'],
    ]) {
      const r = run(branch);
      assert.deepEqual([r.series, r.source], [series, 'branch'], branch);
    }
  });

  it('prefers the option, then the configuration, then the branch', () => {
    assert.deepEqual([run('stable/wallaby', 'train', 'zed').series, run('stable/wallaby', 'train', 'zed').source], ['train', 'option']);
    assert.deepEqual([run('stable/wallaby', undefined, 'zed').series, run('stable/wallaby', undefined, 'zed').source], ['zed', 'config']);
  });

  it('carries the component versions of the series', () => {
    const r = run('stable/wallaby');
    assert.equal(r.novaMajor, 23);
    assert.equal(r.osloMessaging.min, '12.7');
  });

  it('throws for an unknown --release, listing the known series', () => {
    assert.throws(() => run(undefined, 'havana'), (e: unknown) => {
      assert.ok(e instanceof UnknownReleaseError);
      assert.match(e.message, /unknown OpenStack series 'havana'/);
      assert.match(e.message, /stein, train/);
      return true;
    });
  });

  it('reports an unknown configured release and falls back to the branch', () => {
    const result = review({ files: [], branch: 'stable/xena' }, [], knowledge, { config: { release: 'havana' } });
    assert.equal(result.release.series, 'xena');
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, /unknown OpenStack series 'havana'.*known series/);
  });
});

describe('review: files', () => {
  it('skips deleted, already-skipped, ignored, content-less and unknown files, saying why', () => {
    const result = review(
      {
        files: [
          { path: 'etc/nova/old.conf', status: 'deleted', oldContent: ini('x = bad') },
          { path: 'etc/nova/big.conf', status: 'modified', skipped: 'too large' },
          added('vendor/etc/nova.conf', ini('x = bad')),
          { path: 'etc/nova/binary.conf', status: 'modified' },
          added('README.md', '# bad\n'),
          added('etc/nova/nova.conf', ini('x = bad')),
        ],
      },
      [bad],
      knowledge,
      { config: { ignore: ['vendor/**'] } },
    );
    assert.deepEqual(result.skipped, [
      { path: 'etc/nova/old.conf', reason: 'deleted' },
      { path: 'etc/nova/big.conf', reason: 'too large' },
      { path: 'vendor/etc/nova.conf', reason: 'ignored by the configuration' },
      { path: 'etc/nova/binary.conf', reason: 'no content' },
      { path: 'README.md', reason: 'not a format heartbeat-bot reads' },
    ]);
    assert.deepEqual(result.findings.map((f) => f.path), ['etc/nova/nova.conf']);
    assert.deepEqual(result.stats, { files: 1, bytes: ini('x = bad').length });
  });

  it('matches ignore globs with a slash against the path, and bare globs against the file name', () => {
    const files = ['vendor/etc/nova.conf', 'etc/nova/nova.conf.erb', 'etc/nova/.hidden.conf', 'etc/vendor/nova.conf'];
    const result = review({ files: files.map((p) => added(p, ini('x = 1'))) }, [], knowledge, {
      config: { ignore: ['vendor/**', '*.erb', '**/.hidden.conf'] },
    });
    assert.deepEqual(result.skipped.map((s) => s.path), files.slice(0, 3));
  });

  it('counts bytes as UTF-8', () => {
    const text = ini('name = café');
    const result = review({ files: [added('etc/nova/nova.conf', text)] }, [], knowledge);
    assert.equal(result.stats.bytes, text.length + 1);
  });

  it('reports parse errors with their position and still reviews the rest of the file', () => {
    const text = ini('x = 1', 'this line has no equals sign', 'y = bad');
    const result = review({ files: [added('etc/nova/nova.conf', text)] }, [bad], knowledge);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.path, 'etc/nova/nova.conf');
    assert.match(result.errors[0]!.message, /^parse error at 3:1: /);
    assert.deepEqual(result.findings.map((f) => f.line), [4]);
  });

  it('isolates an extractor failure to the file that causes it', () => {
    const fragile = {
      ...knowledge,
      iniFileService: (path: string) => {
        if (path.includes('cursed')) throw new Error('extractor bug');
        return knowledge.iniFileService(path);
      },
    };
    const text = '[oslo_messaging_rabbit]\nheartbeat_rate = 2\n';
    const result = review({ files: [added('etc/cursed/cursed.conf', text), added('etc/nova/nova.conf', text)] }, [], fragile);
    assert.deepEqual(result.errors, [
      { path: 'etc/cursed/cursed.conf', message: 'settings could not be read from this file: extractor bug' },
    ]);
    assert.deepEqual(result.settings.map((s) => s.path), ['etc/nova/nova.conf']);
  });

  it('returns the settings it extracted', () => {
    const text = '[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = 0\n';
    const result = review({ files: [added('etc/nova/nova.conf', text)] }, [], knowledge);
    assert.deepEqual(result.settings.map((s) => [s.key, s.service, s.range.start.line]), [
      ['rabbit.heartbeat_timeout_threshold', 'nova', 2],
    ]);
  });
});

describe('review: rules', () => {
  it('turns a rule that throws into an error entry and runs the others', () => {
    const boom = fakeRule('test-boom', {}, (context) => {
      context.report({ path: 'x', range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } }, message: 'half' });
      throw new Error('boom');
    });
    const result = review({ files: [added('etc/nova/nova.conf', ini('x = bad'))] }, [boom, bad], knowledge);
    assert.deepEqual(result.errors, [{ path: 'rules/test-boom', message: 'rule test-boom failed on this change: boom' }]);
    assert.deepEqual(result.findings.map((f) => f.ruleId), ['test-bad']);
  });

  it('runs a rule only when a file of one of its kinds is in the change', () => {
    let ran = 0;
    const python = fakeRule('test-python', { kinds: ['python'] }, () => {
      ran++;
      throw new Error('must not run');
    });
    const result = review({ files: [added('etc/nova/nova.conf', ini('x = 1'))] }, [python], knowledge);
    assert.equal(ran, 0);
    assert.deepEqual(result.errors, []);
  });

  it('gives rules the release, knowledge, settings, files and commit message', () => {
    let seen: unknown;
    const spy = fakeRule('test-spy', {}, (c) => {
      seen = [c.release.series, c.files.map((f) => f.kind), c.settings.length, c.commitMessage, typeof c.knowledge.servicesReached];
    });
    review(
      { files: [added('etc/nova/nova.conf', '[oslo_messaging_rabbit]\nheartbeat_rate = 2\n')], branch: 'stable/zed', commitMessage: 'Tune' },
      [spy],
      knowledge,
    );
    assert.deepEqual(seen, ['zed', ['ini'], 1, 'Tune', 'function']);
  });

  it('builds findings from reports: severity, position, references (Launchpad first, deduplicated), suggestion', () => {
    const rule = lineRule('test-bad', /bad/, {
      severity: 'error',
      references: ['https://example.org/doc', 'https://bugs.launchpad.net/nova/+bug/1829062'],
      extra: {
        references: ['https://bugs.launchpad.net/nova/+bug/856764', 'https://example.org/doc'],
        suggestion: { line: 2, endLine: 2, replacement: 'x = good' },
      },
    });
    const [f] = review({ files: [added('etc/nova/nova.conf', ini('x = bad'))] }, [rule], knowledge).findings;
    assert.ok(f);
    assert.deepEqual(
      { ...f, message: undefined },
      {
        ruleId: 'test-bad',
        severity: 'error',
        path: 'etc/nova/nova.conf',
        line: 2,
        endLine: 2,
        column: 1,
        endColumn: 8,
        message: undefined,
        references: [
          'https://bugs.launchpad.net/nova/+bug/1829062',
          'https://bugs.launchpad.net/nova/+bug/856764',
          'https://example.org/doc',
        ],
        suggestion: { line: 2, endLine: 2, replacement: 'x = good' },
        diff: { inChangedFile: true, inHunk: true, onAddedLine: true },
      },
    );
  });

  it('a range ending at column 1 of the next line covers its own line only', () => {
    const rule = fakeRule('test-range', {}, (c) =>
      c.report({ path: 'etc/nova/nova.conf', range: { start: { line: 2, column: 1, offset: 10 }, end: { line: 3, column: 1, offset: 18 } }, message: 'm' }),
    );
    const [f] = review({ files: [added('etc/nova/nova.conf', ini('x = bad'))] }, [rule], knowledge).findings;
    assert.deepEqual([f?.line, f?.endLine, f?.endColumn], [2, 2, undefined]);
  });

  it('applies configured severities and turns rules off', () => {
    const other = lineRule('test-other', /bad/);
    const files = [added('etc/nova/nova.conf', ini('x = bad'))];
    const result = review({ files }, [bad, other], knowledge, { config: { rules: { 'test-bad': 'off', 'test-other': 'error' } } });
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity]), [['test-other', 'error']]);
  });

  it('deduplicates identical findings and sorts by path, line, column, rule', () => {
    const twice = fakeRule('test-twice', {}, (c) => {
      for (const file of [...c.files].reverse()) {
        for (const line of [3, 2, 3]) {
          c.report({ path: file.path, range: { start: { line, column: 1, offset: 0 }, end: { line, column: 2, offset: 0 } }, message: 'same' });
        }
      }
    });
    const result = review(
      { files: [added('etc/nova/nova.conf', ini('a = bad', 'b = 2')), added('etc/cinder/cinder.conf', ini('a = bad', 'b = 2'))] },
      [twice, bad],
      knowledge,
    );
    assert.deepEqual(
      result.findings.map((f) => `${f.path}:${f.line}:${f.ruleId}`),
      [
        'etc/cinder/cinder.conf:2:test-bad',
        'etc/cinder/cinder.conf:2:test-twice',
        'etc/cinder/cinder.conf:3:test-twice',
        'etc/nova/nova.conf:2:test-bad',
        'etc/nova/nova.conf:2:test-twice',
        'etc/nova/nova.conf:3:test-twice',
      ],
    );
  });
});
