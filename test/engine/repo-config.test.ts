/** parseRepoConfig: valid and invalid configurations, as a table (CONTRACTS.md §5). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRepoConfig } from '../../src/engine/repo-config.js';
import { CONFIG_KEYS, REPO_CONFIG_SCHEMA } from '../../src/engine/repo-config-schema.js';
import type { RepoConfig } from '../../src/model/review.js';

const SOURCE = '.heartbeat-bot.yml';

describe('parseRepoConfig: valid', () => {
  const cases: [string, string, RepoConfig][] = [
    ['empty file', '', {}],
    ['only comments', '# nothing yet\n', {}],
    [
      'every key',
      [
        'release: wallaby',
        'rules:',
        '  nova-wsgi-threads-not-1: warning',
        '  heartbeat-disabled: off',
        '  mpm-threads-sizing: info',
        '  pthread-heartbeat-on-non-wsgi: error',
        'ignore:',
        "  - 'vendor/**'",
        '  - "**/*.j2"',
        'filter: diff_context',
      ].join('\n'),
      {
        release: 'wallaby',
        rules: {
          'nova-wsgi-threads-not-1': 'warning',
          'heartbeat-disabled': 'off',
          'mpm-threads-sizing': 'info',
          'pthread-heartbeat-on-non-wsgi': 'error',
        },
        ignore: ['vendor/**', '**/*.j2'],
        filter: 'diff_context',
      },
    ],
    ['a numbered series as a YAML number keeps its text', 'release: 2024.1\n', { release: '2024.1' }],
    ['a numbered series like 2023.10 is not read as 2023.1', 'release: 2023.10\n', { release: '2023.10' }],
    ['false (YAML 1.1 off) means off', 'rules:\n  heartbeat-disabled: false\n', { rules: { 'heartbeat-disabled': 'off' } }],
  ];
  for (const [name, text, config] of cases) {
    it(name, () => assert.deepEqual(parseRepoConfig(text, SOURCE), { config, problems: [] }));
  }
});

describe('parseRepoConfig: invalid', () => {
  const cases: [string, string, RepoConfig, RegExp[]][] = [
    [
      'unknown key, with the closest known one',
      'relase: wallaby\nfilter: added\n',
      { filter: 'added' },
      [/^\.heartbeat-bot\.yml:1:1: relase: unknown key \(did you mean release\? known keys: release, rules, ignore, filter\)$/],
    ],
    ['unknown key, nothing close', 'severity: error\n', {}, [/^\.heartbeat-bot\.yml:1:1: severity: unknown key \(known keys: release, rules, ignore, filter\)$/]],
    [
      'every problem is reported, the valid keys still apply',
      'release: [x]\nfilter: all\nignore: ["a/**", ""]\nrules:\n  heartbeat-disabled: [error]\n  mpm-threads-sizing: warning\n',
      { ignore: ['a/**'], rules: { 'mpm-threads-sizing': 'warning' } },
      [
        /:1:10: release: a list is not a series name/,
        /:2:9: filter: "all" is not one of added, diff_context, file, nofilter$/,
        /:3:18: ignore\[1\]: "" is not a path glob$/,
        /:5:23: rules\.heartbeat-disabled: a list is not one of off, info, warning, error$/,
      ],
    ],
    ['a rule level given no value', 'rules:\n  heartbeat-disabled:\n', { rules: {} }, [/:2:\d+: rules\.heartbeat-disabled: an empty value is not one of off, info, warning, error$/]],
    [
      'bad severity keeps the valid entries',
      'rules:\n  heartbeat-disabled: fatal\n  mpm-threads-sizing: off\n',
      { rules: { 'mpm-threads-sizing': 'off' } },
      [/:2:23: rules\.heartbeat-disabled: "fatal" is not one of off, info, warning, error$/],
    ],
    ['bad filter', 'filter: everything\n', {}, [/:1:9: filter: "everything" is not one of added, diff_context, file, nofilter$/]],
    ['rules not a mapping', 'rules: [a, b]\n', {}, [/rules: must be a mapping/]],
    ['ignore not a list', 'ignore: vendor/**\n', {}, [/ignore: must be a list of path globs/]],
    ['ignore item not a string', 'ignore:\n  - 3\n  - ok/**\n', { ignore: ['ok/**'] }, [/:2:5: ignore\[0\]: 3 is not a path glob/]],
    ['release not a name', 'release: [wallaby]\n', {}, [/release: a list is not a series name/]],
    ['non-map YAML', '- release\n- wallaby\n', {}, [/^\.heartbeat-bot\.yml:1:1: the configuration must be a mapping/]],
    ['a bare scalar', 'wallaby\n', {}, [/the configuration must be a mapping/]],
    ['malformed YAML', 'rules:\n  a: [off\n', {}, [/^\.heartbeat-bot\.yml:\d+:\d+: YAML error: /]],
    ['duplicate keys', 'filter: added\nfilter: file\n', {}, [/YAML error: .*[Mm]ap keys must be unique/]],
  ];
  for (const [name, text, config, problems] of cases) {
    it(name, () => {
      const result = parseRepoConfig(text, SOURCE);
      assert.deepEqual(result.config, config);
      assert.equal(result.problems.length, problems.length, result.problems.join('\n'));
      problems.forEach((p, i) => assert.match(result.problems[i] ?? '', p));
    });
  }

  it('reports unknown rule ids when it knows the rules; the engine checks are always known', () => {
    const result = parseRepoConfig(
      'rules:\n  nova-threads: off\n  heartbeat-disabled: info\n  unused-suppression: off\n  heartbeat-disable: off\n',
      SOURCE,
      ['heartbeat-disabled'],
    );
    assert.deepEqual(result.config, { rules: { 'heartbeat-disabled': 'info', 'unused-suppression': 'off' } });
    const known = 'known rules: heartbeat-disabled, suppression-without-reason, unused-suppression';
    assert.deepEqual(result.problems, [
      `${SOURCE}:2:3: rules.nova-threads: unknown rule (${known})`,
      `${SOURCE}:5:3: rules.heartbeat-disable: unknown rule (did you mean heartbeat-disabled? ${known})`,
    ]);
  });
});

describe('the configuration schema', () => {
  it('documents every key parseRepoConfig accepts, with allowed values where the value is one of a list', () => {
    assert.deepEqual(CONFIG_KEYS, ['release', 'rules', 'ignore', 'filter']);
    for (const key of REPO_CONFIG_SCHEMA) {
      assert.ok(key.description.length > 20, `${key.key} has no description`);
      assert.ok(key.default.length > 0, `${key.key} has no default`);
    }
    assert.deepEqual(REPO_CONFIG_SCHEMA.find((k) => k.key === 'filter')?.allowed, ['added', 'diff_context', 'file', 'nofilter']);
  });

  it("the schema's examples, together, are a valid configuration", () => {
    const text = REPO_CONFIG_SCHEMA.flatMap((k) => k.example).join('\n');
    const result = parseRepoConfig(text, SOURCE, ['mpm-threads-sizing']);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(Object.keys(result.config), ['release', 'rules', 'ignore', 'filter']);
  });
});
