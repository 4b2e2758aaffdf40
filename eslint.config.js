// ESLint flat config: typescript-eslint's recommended rules, plus import boundaries that enforce the layering
// of DESIGN.md "Layout": roots -> pages -> service; roots -> platforms/service -> engine -> settings -> parsers -> model; diff and formats
// depend only on model; rules import only model types and settings helpers. Rules, the engine core and the
// settings extractors are pure: no Node built-ins, no clock, environment or logging.
import tseslint from 'typescript-eslint';

const LAYERS = ['model', 'parsers', 'settings', 'engine', 'diff', 'formats', 'docs', 'platforms', 'service', 'pages', 'cli'];
const ROOTS = ['cli.js', 'server.js', 'index.js'];

/** A config block forbidding `files` to import any src layer not in `allowed`. */
function boundary(files, allowed, extra = []) {
  const forbidden = LAYERS.filter((l) => !allowed.includes(l));
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...forbidden.flatMap((l) => [`**/src/${l}/**`, `../${l}/**`, `../../${l}/**`]), ...ROOTS.map((r) => `**/${r}`), ...extra],
              message: `this layer may import only ${allowed.join(', ')} (DESIGN.md "Layout").`,
            },
          ],
        },
      ],
    },
  };
}

const PURE = ['node:fs', 'node:fs/*', 'node:child_process', 'node:http', 'node:https', 'node:net', 'node:process', 'fs', 'child_process', 'http', 'https', 'net'];

export default tseslint.config(
  { ignores: ['dist/', '.build-*/', 'node_modules/', '.corpus/', 'var/', '**/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  boundary(['src/model/**'], ['model'], PURE),
  boundary(['src/parsers/**'], ['model', 'parsers']),
  boundary(['src/settings/**'], ['model', 'parsers', 'settings']),
  boundary(['src/diff/**'], ['model', 'diff'], PURE),
  boundary(['src/formats/**'], ['model', 'formats'], PURE),
  boundary(['src/engine/**'], ['model', 'parsers', 'settings', 'diff', 'engine']),
  boundary(['src/engine/review.ts', 'src/engine/run-rules.ts'], ['model', 'parsers', 'settings', 'diff', 'engine'], PURE),
  boundary(['rules/**'], ['model', 'settings'], PURE),
  // Documentation generators: a build-time root over the engine's rule loading and the config schema.
  boundary(['src/docs/**'], ['model', 'engine', 'settings', 'docs']),
  boundary(['src/platforms/**', 'src/service/**'], ['model', 'parsers', 'settings', 'engine', 'diff', 'formats', 'platforms', 'service']),
  // The service's pages render model data and the review history; they run no review and talk to no platform.
  boundary(['src/pages/**'], ['model', 'formats', 'service', 'pages']),
  {
    files: ['rules/**/*.ts', 'src/engine/review.ts', 'src/engine/run-rules.ts'],
    rules: { 'no-restricted-globals': ['error', 'process', 'fetch', 'Date', 'console'] },
  },
);
