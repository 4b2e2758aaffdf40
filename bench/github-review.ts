/**
 * API calls (REST and GraphQL, as the fake GitHub received them) and wall time per GitHub review, against the fake
 * GitHub over real HTTP: a 10-file and a 300-file pull request, the first review (posts the review and the check
 * run), a repeat in the same process (idempotent: posts nothing new; blob contents cached), and a repeat from a
 * cold process (another instance, or the CLI run again: no cache). Each cell is the median of 5 runs. "paced"
 * spaces writes a second apart as the service, the CLI and the Action do (GitHub's advice;
 * src/platforms/github/pacing.ts); "unpaced" turns it off to show heartbeat-bot's own cost.
 *
 *   npm run build && node dist/bench/github-review.js
 */
import { performance } from 'node:perf_hooks';
import { Octokit } from '@octokit/rest';
import { pacing } from '../src/platforms/github/pacing.js';
import { loadRules } from '../src/engine/load-rules.js';
import { loadKnowledge } from '../src/settings/load-knowledge.js';
import { reviewPullRequest } from '../src/platforms/github/index.js';
import { BlobCache } from '../src/platforms/github/blob-cache.js';
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
  const Client = Octokit.plugin(pacing as unknown as Parameters<typeof Octokit.plugin>[0]);
  return new Client({
    auth: token,
    baseUrl: fake.url,
    pacing: { writeSpacingMs: paced ? 1000 : 0 },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  }) as unknown as GitHubOctokit;
}


interface Cell {
  ms: number[];
  rest: number[];
  graphql: number[];
}

const cell = (): Cell => ({ ms: [], rest: [], graphql: [] });

/** Runs one review and records what the fake received meanwhile (every attempt, by kind) and the wall time. */
async function measure(fake: FakeGitHub, into: Cell, review: () => Promise<unknown>): Promise<void> {
  const before = fake.requests.length;
  const t = performance.now();
  await review();
  into.ms.push(performance.now() - t);
  const requests = fake.requests.slice(before);
  const graphql = requests.filter((r) => r.path === '/graphql').length;
  into.graphql.push(graphql);
  into.rest.push(requests.length - graphql);
}

async function main(): Promise<void> {
  const rules = await loadRules();
  const knowledge = loadKnowledge();
  const silent = { info() {}, warn() {}, error() {} };
  const rows: string[][] = [];
  const row = (label: string, review: string, c: Cell, posted: string) => {
    const rest = median(c.rest);
    const graphql = median(c.graphql);
    rows.push([label, review, String(rest + graphql), String(rest), String(graphql), median(c.ms).toFixed(0), posted]);
  };
  for (const paced of [false, true]) {
    for (const size of [10, 300]) {
      const fake = await startFakeGitHub({ contentRateLimit: false });
      try {
        const token = fake.installationToken();
        const client = octokit(fake, token, paced);
        // One process: its blob cache lives across reviews; a cold repeat is another process (a fresh cache).
        const blobCache = new BlobCache();
        const deps = { octokit: client, rules, knowledge, botName: 'heartbeat-bot', log: silent, blobCache };
        const first = cell();
        const repeat = cell();
        const cold = cell();
        let posted = '';
        for (let run = 0; run < RUNS; run++) {
          blobCache.clear();
          const number = size * 100 + run;
          const pr = { owner: OWNER, repo: REPO, number };
          fake.addPullRequest({ ...pr, base: { ref: 'stable/wallaby' }, head: { ref: `bench-${number}` }, files: files(size) });
          await measure(fake, first, async () => {
            const outcome = await reviewPullRequest(deps, pr);
            posted = `${outcome.annotations} annotations, ${outcome.inlineComments + outcome.bodyOnly} comments`;
          });
          await measure(fake, repeat, () => reviewPullRequest(deps, pr));
          await measure(fake, cold, () => reviewPullRequest({ ...deps, blobCache: new BlobCache() }, pr));
        }
        const label = `${size} files${paced ? ', paced' : ''}`;
        row(label, 'first review', first, posted);
        row(label, 'repeat, same process', repeat, 'nothing');
        row(label, 'repeat, cold process', cold, 'nothing');
      } finally {
        await fake.close();
      }
    }
  }
  const header = ['pull request', 'review', 'API calls', 'REST', 'GraphQL', 'wall ms', 'posted'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`GitHub review against the fake GitHub, median of ${RUNS} (Node ${process.version}); calls as the fake received them, retries included\n\n`);
  process.stdout.write(`${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}

await main();
