/**
 * The one schema of the per-repository configuration (CONTRACTS.md §5): its keys, allowed values, defaults and
 * descriptions. parseRepoConfig validates against it, and `npm run docs` writes README.md's configuration section
 * from it, so the documentation cannot drift from what is accepted. Plain data: four keys do not need a JSON-schema
 * library, and messages are better written by hand.
 */

/** What `rules: {<id>: ...}` accepts: off, or a severity that replaces the rule's. */
export const RULE_LEVELS = ['off', 'info', 'warning', 'error'] as const;
/** reviewdog's filter modes. */
export const FILTER_MODES = ['added', 'diff_context', 'file', 'nofilter'] as const;

export interface ConfigKeySchema {
  key: 'release' | 'rules' | 'ignore' | 'filter';
  /** The value's shape, as the documentation shows it. */
  value: string;
  /** Allowed values of a scalar key, or of each entry of a mapping. */
  allowed?: readonly string[];
  /** What applies when the key is absent. */
  default: string;
  description: string;
  /** YAML lines for the documented example (the key included). */
  example: string[];
}

export const REPO_CONFIG_SCHEMA: readonly ConfigKeySchema[] = [
  {
    key: 'release',
    value: 'OpenStack series: `stein` ... `2026.2`, or a code name (`caracal`)',
    default: 'the target branch (`stable/wallaby`, `unmaintained/zed`), else the newest series',
    description:
      'The series the repository deploys, for release-aware rules (nova 19-32 is eventlet-patched under WSGI, ' +
      'oslo.messaging option lifecycles). `--release` wins over it. An unknown series is reported.',
    example: ['release: wallaby                 # the series the repository deploys'],
  },
  {
    key: 'rules',
    value: 'mapping of rule id to a level',
    allowed: RULE_LEVELS,
    default: 'every rule at its own severity',
    description:
      '`off` drops a rule\'s findings; a severity replaces the rule\'s. Rule ids are those of rules/README.md, ' +
      'engine checks (`unused-suppression`, `suppression-without-reason`) included. YAML 1.1\'s bare `off` ' +
      '(read as false) means off.',
    example: ['rules:', '  mpm-threads-sizing: off        # off | info | warning | error', '  unused-suppression: warning'],
  },
  {
    key: 'ignore',
    value: 'list of path globs',
    default: 'nothing ignored',
    description:
      'Files not to review, as .gitignore reads globs: with a `/` a glob matches the repository-relative path ' +
      '(`vendor/**`), without one it matches the file name at any depth (`*.erb`).',
    example: ["ignore: ['vendor/**', '*.orig']"],
  },
  {
    key: 'filter',
    value: 'filter mode',
    allowed: FILTER_MODES,
    default: '`added`',
    description:
      '`heartbeat-bot review`: which findings to show. `added`: on added or changed lines; `diff_context`: ' +
      'within the hunks; `file`: anywhere in changed files; `nofilter`: everywhere. `--filter` wins over it.',
    example: ['filter: diff_context'],
  },
];

export const CONFIG_KEYS: readonly string[] = REPO_CONFIG_SCHEMA.map((k) => k.key);
