/**
 * API calls and wall time per GitHub review, against the fake GitHub over real HTTP: a 10-file and a 300-file pull
 * request, first review (posts the check run and the review) and a repeat of it (idempotent: posts nothing new).
 * Each cell is the median of 5 runs. "paced" keeps @octokit/plugin-throttling's spacing of writes (1 s between
 * writes, 3 s between notifying ones: GitHub's advice, and what production does); "unpaced" turns it off to show
 * heartbeat-bot's own cost.
 *
 *   npm run build && node dist/bench/github-review.js
 */
import { performance } from 'node:perf_hooks';
import Bottleneck from 'bottleneck';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { loadRules } from '../src/engine/load-rules.js';
import { loadKnowledge } from '../src/settings/load-knowledge.js';
import { reviewPullRequest } from '../src/platforms/github/index.js';
import type { GitHubOctokit } from '../src/platforms/github/types.js';
import { startFakeGitHub, type FakeGitHub } from '../test/fakes/github/fake-github.js';
import { median } from './bench-helpers.js';

const RUNS = 5;
const OWNER = 'openstack-ops';
const REPO = 'deployment';

/** `n` changed files: Puppet manifests, hieradata and nova.conf files, one in five with a finding. */
function files(n: number): { path: string; newContent: string; oldContent?: string }[] {
  const out: { path: string; newContent: string; oldContent?: string }[] = [];
  for (let i = 0; i < n; i++) {
    const bad = i % 5 === 0;
    switch (i % 3) {
      case 0:
        out.push({
          path: `manifests/role${i}.pp`,
          oldContent: `class role${i} {\n  class { 'nova::wsgi::apache_api':\n    threads => 1,\n  }\n}\n`,
          newContent: `class role${i} {\n  class { 'nova::wsgi::apache_api':\n    threads => ${bad ? 4 : 1},\n    workers => 8,\n  }\n}\n`,
        });
        break;
      case 1:
        out.push({
          path: `hieradata/node${i}.yaml`,
          newContent: `nova::rabbit_heartbeat_timeout_threshold: ${bad ? 0 : 60}\nnova::api::workers: 4\n`,
        });
        break;
      default:
        out.push({
          path: `etc/nova/nova${i}.conf`,
          oldContent: '[DEFAULT]\ndebug = false\n',
          newContent: `[DEFAULT]\ndebug = false\n[oslo_messaging_rabbit]\nheartbeat_timeout_threshold = ${bad ? 0 : 60}\n`,
        });
    }
  }
  return out;
}

function octokit(fake: FakeGitHub, token: string, paced: boolean): GitHubOctokit {
  const Client = Octokit.plugin(retry, throttling);
  const unpaced = paced
    ? {}
    : {
        write: new Bottleneck.Group({ id: `bench-write-${Math.random()}`, maxConcurrent: 1, minTime: 0 }),
        notifications: new Bottleneck.Group({ id: `bench-notify-${Math.random()}`, maxConcurrent: 1, minTime: 0 }),
      };
  return new Client({
    auth: token,
    baseUrl: fake.url,
    throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false, ...unpaced },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  }) as unknown as GitHubOctokit;
}


async function main(): Promise<void> {
  const rules = await loadRules();
  const knowledge = loadKnowledge();
  const silent = { info() {}, warn() {}, error() {} };
  const rows: string[][] = [];
  for (const paced of [false, true]) {
    for (const size of [10, 300]) {
      const fake = await startFakeGitHub({ contentRateLimit: false });
      try {
        const token = fake.installationToken();
        const client = octokit(fake, token, paced);
        const deps = { octokit: client, rules, knowledge, botName: 'heartbeat-bot', log: silent };
        const first = { ms: [] as number[], calls: [] as number[], comments: 0, annotations: 0 };
        const repeat = { ms: [] as number[], calls: [] as number[] };
        for (let run = 0; run < RUNS; run++) {
          const number = size * 100 + run;
          fake.addPullRequest({ owner: OWNER, repo: REPO, number, base: { ref: 'stable/wallaby' }, head: { ref: `bench-${number}` }, files: files(size) });
          let t = performance.now();
          const outcome = await reviewPullRequest(deps, { owner: OWNER, repo: REPO, number });
          first.ms.push(performance.now() - t);
          first.calls.push(outcome.apiCalls);
          first.comments = outcome.inlineComments + outcome.bodyOnly;
          first.annotations = outcome.annotations;
          t = performance.now();
          const again = await reviewPullRequest(deps, { owner: OWNER, repo: REPO, number });
          repeat.ms.push(performance.now() - t);
          repeat.calls.push(again.apiCalls);
        }
        const label = `${size} files${paced ? ', paced' : ''}`;
        rows.push([label, 'first review', String(median(first.calls)), median(first.ms).toFixed(0), `${first.annotations} annotations, ${first.comments} comments`]);
        rows.push([label, 'repeat (no new posts)', String(median(repeat.calls)), median(repeat.ms).toFixed(0), '']);
      } finally {
        await fake.close();
      }
    }
  }
  const header = ['pull request', 'review', 'API calls', 'wall ms', 'posted'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`GitHub review against the fake GitHub, median of ${RUNS} (Node ${process.version})\n\n`);
  process.stdout.write(`${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}

await main();
