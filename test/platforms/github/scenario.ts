/** Shared set-up for the GitHub platform tests: the fake GitHub, a real Octokit, the real rules and knowledge. */
import { Octokit } from '@octokit/rest';
import { loadRules } from '../../../src/engine/load-rules.js';
import { loadKnowledge } from '../../../src/settings/load-knowledge.js';
import type { Rule } from '../../../src/model/rule.js';
import type { GitHubReviewDeps } from '../../../src/platforms/github/types.js';
import { BlobCache } from '../../../src/platforms/github/blob-cache.js';
import { startFakeGitHub, type FakeGitHub, type PullRequestFileInput } from '../../fakes/github/fake-github.js';

export const OWNER = 'acme';
export const REPO = 'overcloud';

/** Hieradata: mod_wsgi threads for nova-api raised to 4 (LP 1829062). */
export const HIERA_OLD = ['---', 'nova::wsgi::apache_api::threads: 1', 'nova::wsgi::apache_api::workers: 4', 'nova::api::enabled: true', ''].join('\n');
export const HIERA_NEW = ['---', 'nova::wsgi::apache_api::threads: 4', 'nova::wsgi::apache_api::workers: 4', 'nova::api::enabled: true', ''].join('\n');

/** nova.conf: heartbeats switched off (LP 856764). */
export const NOVA_OLD = ['[DEFAULT]', 'debug = false', 'transport_url = rabbit://nova:secret@ctl0:5672/', '', '[oslo_messaging_rabbit]', 'heartbeat_timeout_threshold = 60', 'rabbit_ha_queues = true', ''].join('\n');
export const NOVA_NEW = NOVA_OLD.replace('heartbeat_timeout_threshold = 60', 'heartbeat_timeout_threshold = 0');

/** An Apache vhost for nova-api with four threads per daemon process. */
export const VHOST = [
  '<VirtualHost *:8774>',
  '  ServerName overcloud.internalapi.localdomain',
  '  WSGIDaemonProcess nova-api processes=4 threads=4 user=nova group=nova display-name=nova_api_wsgi',
  '  WSGIProcessGroup nova-api',
  '  WSGIScriptAlias / /usr/bin/nova-api-wsgi',
  '  WSGIApplicationGroup %{GLOBAL}',
  '</VirtualHost>',
  '',
].join('\n');

export const FIRST_FILES: PullRequestFileInput[] = [
  { path: 'hieradata/common.yaml', oldContent: HIERA_OLD, newContent: HIERA_NEW },
  { path: 'etc/nova/nova.conf', oldContent: NOVA_OLD, newContent: NOVA_NEW },
  { path: 'etc/httpd/conf.d/10-nova_api_wsgi.conf', newContent: VHOST },
  { path: 'README.md', oldContent: '# overcloud\n', newContent: '# overcloud\n\nNova API tuning.\n' },
  { path: 'docs/diagram.png', newContent: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), binary: true },
];

let rules: Rule[] | undefined;

export async function realRules(): Promise<Rule[]> {
  rules ??= await loadRules();
  return rules;
}

export interface Harness {
  fake: FakeGitHub;
  octokit: Octokit;
  /** The blob cache every review of this harness shares (a process's cache); `reset()` empties it. */
  cache: BlobCache;
  /** Forgets the fake's state and requests and the blob cache: each test starts cold. */
  reset: () => void;
  deps: (over?: Partial<GitHubReviewDeps>) => Promise<GitHubReviewDeps>;
  logs: { level: string; o: object; m?: string }[];
}

export async function harness(options: Parameters<typeof startFakeGitHub>[0] = {}): Promise<Harness> {
  const fake = await startFakeGitHub(options);
  const octokit = new Octokit({ baseUrl: fake.url, auth: fake.installationToken(), log: { debug() {}, info() {}, warn() {}, error() {} } });
  const logs: Harness['logs'] = [];
  const log = {
    info: (o: object, m?: string) => logs.push({ level: 'info', o, ...(m !== undefined ? { m } : {}) }),
    warn: (o: object, m?: string) => logs.push({ level: 'warn', o, ...(m !== undefined ? { m } : {}) }),
    error: (o: object, m?: string) => logs.push({ level: 'error', o, ...(m !== undefined ? { m } : {}) }),
  };
  const cache = new BlobCache();
  return {
    fake,
    octokit,
    logs,
    cache,
    reset: () => {
      fake.reset();
      cache.clear();
    },
    deps: async (over = {}) => ({
      blobCache: cache,
      octokit,
      rules: await realRules(),
      knowledge: loadKnowledge(),
      botName: 'heartbeat-bot',
      docsUrl: 'https://heartbeat.example.org/rules/',
      log,
      now: () => new Date('2024-05-01T12:00:00Z'),
      ...over,
    }),
  };
}

export function addPr(fake: FakeGitHub, number: number, files: PullRequestFileInput[], over: Partial<Parameters<FakeGitHub['addPullRequest']>[0]> = {}) {
  return fake.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number,
    title: 'Tune nova-api for the new controllers',
    body: 'Raises mod_wsgi threads and turns off heartbeats that flap behind the firewall.',
    base: { ref: 'stable/wallaby' },
    head: { ref: `tune-${number}` },
    files,
    ...over,
  });
}
