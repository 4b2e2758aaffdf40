/** Shared set-up for the Gerrit platform tests: the fake Gerrit over real HTTP, the real rules and knowledge. */
import { loadKnowledge } from '../../../src/settings/load-knowledge.js';
import { RepoConfigCache } from '../../../src/platforms/gerrit/repo-config-cache.js';
import { GerritClient } from '../../../src/platforms/gerrit/gerrit-client.js';
import type { GerritConfig, GerritLog, GerritReviewDeps } from '../../../src/platforms/gerrit/types.js';
import { startFakeGerrit, type FakeGerrit, type FakeGerritOptions, type FileInput } from '../../fakes/gerrit/fake-gerrit.js';
import { HIERA_NEW, HIERA_OLD, NOVA_NEW, NOVA_OLD, realRules, VHOST } from '../github/scenario.js';

export { HIERA_NEW, HIERA_OLD, NOVA_NEW, NOVA_OLD, VHOST };
export const PROJECT = 'openstack/tripleo-heat-templates';

export const FIRST_FILES: FileInput[] = [
  { path: 'hieradata/common.yaml', oldContent: HIERA_OLD, newContent: HIERA_NEW },
  { path: 'etc/nova/nova.conf', oldContent: NOVA_OLD, newContent: NOVA_NEW },
  { path: 'etc/httpd/conf.d/10-nova_api_wsgi.conf', newContent: VHOST },
  { path: 'README.md', oldContent: '# overcloud\n', newContent: '# overcloud\n\nNova API tuning.\n' },
  { path: 'docs/diagram.png', newContent: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), binary: true },
];

export interface Harness {
  fake: FakeGerrit;
  logs: { level: string; o: object; m?: string }[];
  log: GerritLog;
  config: (over?: Partial<GerritConfig>) => GerritConfig;
  deps: (over?: Partial<GerritConfig>) => Promise<GerritReviewDeps>;
}

export async function harness(options: FakeGerritOptions = {}): Promise<Harness> {
  const fake = await startFakeGerrit({ ssh: false, ...options });
  const logs: Harness['logs'] = [];
  const log: GerritLog = {
    info: (o, m) => logs.push({ level: 'info', o, ...(m !== undefined ? { m } : {}) }),
    warn: (o, m) => logs.push({ level: 'warn', o, ...(m !== undefined ? { m } : {}) }),
    error: (o, m) => logs.push({ level: 'error', o, ...(m !== undefined ? { m } : {}) }),
  };
  const config = (over: Partial<GerritConfig> = {}): GerritConfig => ({
    url: fake.url,
    user: fake.user,
    password: fake.password,
    botName: 'heartbeat-bot',
    docsUrl: 'https://heartbeat.example.org/rules/',
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...over,
  });
  return {
    fake,
    logs,
    log,
    config,
    deps: async (over = {}) => {
      const c = config(over);
      // A cache of its own per call: each review starts cold unless a test shares deps on purpose.
      return { client: new GerritClient(c, { log }), rules: await realRules(), knowledge: loadKnowledge(), config: c, log, configCache: new RepoConfigCache() };
    },
  };
}

export function addChange(fake: FakeGerrit, number: number, files: FileInput[], over: { wip?: boolean; branch?: string } = {}) {
  return fake.addChange({
    project: PROJECT,
    number,
    branch: over.branch ?? 'stable/wallaby',
    subject: 'Tune nova-api for the new controllers',
    ...(over.wip !== undefined ? { wip: over.wip } : {}),
    patchSets: [{ files, commitMessage: 'Tune nova-api for the new controllers\n\nRaises mod_wsgi threads.\n\nChange-Id: I0123456789abcdef0123456789abcdef01234567\n' }],
  });
}
