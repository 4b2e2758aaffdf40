#!/usr/bin/env node
/**
 * Build step (after tsc): bundles the CLI into dist/src/bundle/heartbeat-bot.js, the `bin` users run.
 *
 * Why: a `check` or `review` of a few files is dominated by start-up, and unbundled start-up is dominated by the
 * module loader: ~215 files (our modules, the 29 rules, yaml's 73 CommonJS files, diff, picomatch) each resolved,
 * read and compiled. The bundle is one entry file plus a few chunks, split at the CLI's dynamic imports so that
 * `check` does not load Probot, Octokit or the service.
 *
 * Rules are discovered from dist/rules/<id>/rule.js at build time and imported statically by a generated module
 * (`heartbeat-bot:rules`), which the entry hands to load-rules.ts; loadRules validates them as it does discovered
 * ones. A new rule still only touches its own folder.
 *
 * The output lives two levels below dist/ like every compiled module (dist/src/<dir>/), so the paths modules build
 * from import.meta.url (dist/rules, dist/knowledge.json, the package root) stay right. Native addons and the
 * packages that load them at run time stay external and resolve from node_modules.
 *
 *   node build/bundle-cli.mjs [DIST]     (npm run build runs it; DIST defaults to dist)
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// An output directory other than dist/ (a private `tsc --outDir .build-x` build) may be named.
const dist = resolve(root, process.argv[2] ?? 'dist');
const outdir = join(dist, 'src/bundle');
const rulesDir = join(dist, 'rules');

const ruleIds = readdirSync(rulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(rulesDir, d.name, 'rule.js')))
  .map((d) => d.name)
  .sort();

const rulesModule = [
  ...ruleIds.map((id, i) => `import rule${i} from ${JSON.stringify(join(rulesDir, id, 'rule.js'))};`),
  `export default { ${ruleIds.map((id, i) => `${JSON.stringify(id)}: rule${i}`).join(', ')} };`,
].join('\n');

/** The generated index of every rule, resolved in memory. */
const rulesPlugin = {
  name: 'heartbeat-bot-rules',
  setup(b) {
    b.onResolve({ filter: /^heartbeat-bot:rules$/ }, () => ({ path: 'rules', namespace: 'heartbeat-bot' }));
    b.onLoad({ filter: /.*/, namespace: 'heartbeat-bot' }, () => ({ contents: rulesModule, resolveDir: rulesDir, loader: 'js' }));
  },
};

// The rules are registered before cli.js is evaluated (it starts main() when evaluated), hence the dynamic import.
const entry = `#!/usr/bin/env node
import { useBundledRules } from './src/engine/load-rules.js';
useBundledRules(() => import('heartbeat-bot:rules').then((m) => m.default));
await import('./src/cli.js');
`;

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  stdin: { contents: entry, resolveDir: dist, sourcefile: 'heartbeat-bot-entry.js', loader: 'js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir,
  entryNames: 'heartbeat-bot',
  chunkNames: 'chunk-[hash]',
  plugins: [rulesPlugin],
  // Native addons (and what loads them) cannot be inlined; they resolve from node_modules at run time.
  external: ['tree-sitter', 'tree-sitter-python', 'ssh2', 'better-sqlite3', 'cpu-features'],
  // Bundled CommonJS packages call require() for Node built-ins; ESM output has no require of its own.
  banner: { js: "import { createRequire as __heartbeatBotRequire } from 'node:module';\nconst require = __heartbeatBotRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.keys(result.metafile.outputs);
process.stdout.write(`bundled the CLI with ${ruleIds.length} rules into ${outputs.length} files in ${outdir}\n`);
