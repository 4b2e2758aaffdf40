#!/usr/bin/env node
/**
 * The GitHub Action's entry (action.yml, `runs: using: node20`): runs `heartbeat-bot github review` with the
 * action's inputs. Plain JavaScript without dependencies, because it runs from a checkout of the action before
 * anything is built: the first run of an action version installs and builds it (`npm ci` builds via `prepare`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../dist/src/bundle/heartbeat-bot.js', import.meta.url));

/** Inputs reach a JavaScript action as INPUT_<NAME> with the name upper-cased (hyphens kept). */
const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();

if (!existsSync(cli)) {
  process.stdout.write('::group::heartbeat-bot: installing and building the action (first run of this version)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  process.stdout.write('::endgroup::\n');
  if (built.status !== 0 || !existsSync(cli)) {
    process.stdout.write('::error::heartbeat-bot: npm ci failed in the action directory\n');
    process.exit(2);
  }
}

const args = ['github', 'review', '--fail-level', input('fail-level') || 'error'];
if (input('release') !== '') args.push('--release', input('release'));
if (/^(true|1|yes)$/i.test(input('dry-run'))) args.push('--dry-run');
const token = input('github-token') || process.env.GITHUB_TOKEN || '';
const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env: { ...process.env, GITHUB_TOKEN: token } });
process.exit(run.status ?? 2);
