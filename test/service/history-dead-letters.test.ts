/**
 * The history as `npm start` keeps it: the SQLite queue and SQLite history in one DATA_DIR (durableQueues,
 * createReviewHistory). A Gerrit review that keeps failing is recorded once per attempt as failed, with its
 * error, and when the queue gives up the last record becomes dead-lettered; the history is there after a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { durableQueues, startServer } from '../../src/server.js';
import { createReviewHistory } from '../../src/service/review-history-create.js';
import type { ServiceConfig } from '../../src/service/read-env.js';
import { startFakeGerrit } from '../fakes/gerrit/fake-gerrit.js';

test('a Gerrit job that fails every attempt: failed records with the error, the last one dead-lettered, kept across a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hb-dead-'));
  const fake = await startFakeGerrit({ ssh: false });
  const log = pino({ level: 'silent' });
  const config: ServiceConfig = {
    port: 0, host: '127.0.0.1', dataDir, botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json',
    gerrit: { url: fake.url, user: fake.user, password: fake.password, reviewWip: false, pollSeconds: 3600, webhookToken: 'token-0123456789' },
  };
  const history = createReviewHistory(config);
  const { github, gerrit } = durableQueues(config, log, history, { maxAttempts: 2, backoffMs: 10, maxBackoffMs: 20 });
  try {
    const server = await startServer(config, { log, queue: github, history, defaultMetrics: false, gerrit: { queue: gerrit!, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } } });
    try {
      fake.addChange({ project: 'openstack/puppet-nova', number: 77, branch: 'stable/wallaby', subject: 'Always fails', patchSets: [{ files: [{ path: 'manifests/api.pp', newContent: "class { 'nova::wsgi::apache_api': threads => 4 }\n" }] }] });
      fake.failNext({ method: 'GET', path: /~77/, status: 502, times: 100, body: 'bad gateway' });
      const { body, headers } = fake.webhookBody(fake.patchsetCreatedEvent('openstack/puppet-nova', 77));
      assert.equal((await fetch(`${server.url}/gerrit/events?token=token-0123456789`, { method: 'POST', headers, body })).status, 202);
      const end = Date.now() + 10_000;
      while (!(await history.recent(10)).some((r) => r.status === 'dead')) {
        if (Date.now() > end) throw new Error(`not dead-lettered: ${JSON.stringify(await history.recent(10))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const records = await history.recent(10);
      assert.deepEqual(records.map((r) => r.status), ['dead', 'failed'], 'one record per attempt, the last one dead-lettered');
      for (const r of records) {
        assert.equal(r.key, 'gerrit:openstack/puppet-nova~77,1');
        assert.match(r.error ?? '', /502/);
      }
      assert.equal((await gerrit!.stats()).dead, 1);
      const page = await (await fetch(`${server.url}/`)).text();
      assert.match(page, /dead-lettered/);
      assert.match(page, /1 dead/);
    } finally {
      await server.close();
    }
  } finally {
    await Promise.all([github.close(), gerrit?.close()]);
    await history.close();
    await fake.close();
  }
  const reopened = createReviewHistory({ dataDir });
  try {
    assert.deepEqual((await reopened.recent(10)).map((r) => r.status), ['dead', 'failed']);
  } finally {
    await reopened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
