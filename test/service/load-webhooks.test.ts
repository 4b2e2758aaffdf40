/**
 * Load on the real service (a child process, `node dist/src/server.js`): 1000 Gerrit webhooks-plugin deliveries
 * for 1000 changes in one burst. Every delivery is acknowledged (202) within GitHub's 10 s budget for a webhook,
 * every change is eventually reviewed exactly once on the fake Gerrit, and the child's peak RSS (VmHWM) stays
 * under 300 MB.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { addChanges, deliver, exactlyOnce, percentile, spawnService, startGerritFixture, until, type ChildService, type GerritFixture } from './process-harness.js';

const DELIVERIES = 1000;
const PEAK_RSS_LIMIT_MB = 300;

let fixture: GerritFixture | undefined;
let service: ChildService | undefined;
after(async () => {
  await service?.kill();
  await fixture?.close();
});

test(`load: ${DELIVERIES} webhook deliveries in a burst are all acknowledged within 10 s and all reviewed once; peak RSS stays under ${PEAK_RSS_LIMIT_MB} MB`, { timeout: 60_000 }, async (t) => {
  fixture = await startGerritFixture();
  const fake = fixture.fake;
  service = await spawnService(fixture.env({ LOG_LEVEL: 'warn' }), { cwd: fixture.dir, name: 'load' });
  const changes = addChanges(fake, DELIVERIES);

  const t0 = performance.now();
  const deliveries = await deliver(fake, service.url, changes, 250);
  const ackSeconds = (performance.now() - t0) / 1000;
  const statuses = new Map<number, number>();
  for (const d of deliveries) statuses.set(d.status, (statuses.get(d.status) ?? 0) + 1);
  assert.deepEqual([...statuses], [[202, DELIVERIES]], `every delivery is answered 202: ${JSON.stringify([...statuses])}`);
  assert.ok(ackSeconds < 10, `all ${DELIVERIES} acknowledged in ${ackSeconds.toFixed(2)} s (GitHub's limit for one delivery is 10 s)`);
  const ackMs = deliveries.map((d) => d.ms).sort((a, b) => a - b);

  await until(() => exactlyOnce(fake, changes).missing.length === 0, `${DELIVERIES} reviews`, 45_000, () => `${exactlyOnce(fake, changes).missing.length} missing`);
  const reviewSeconds = (performance.now() - t0) / 1000;
  // Anything still running would show up as a second review.
  await new Promise((r) => setTimeout(r, 300));
  const result = exactlyOnce(fake, changes);
  assert.deepEqual(result.duplicated, [], 'no change reviewed twice');
  assert.equal(result.posted, DELIVERIES);
  const peak = service.peakRssMb();
  t.diagnostic(
    `acknowledged ${DELIVERIES} in ${ackSeconds.toFixed(2)} s (per delivery p50 ${percentile(ackMs, 50).toFixed(0)} ms, p99 ${percentile(ackMs, 99).toFixed(0)} ms); ` +
      `reviewed in ${reviewSeconds.toFixed(1)} s (${(DELIVERIES / reviewSeconds).toFixed(1)} reviews/s); child peak RSS ${peak.toFixed(0)} MB`,
  );
  assert.ok(peak > 0 && peak < PEAK_RSS_LIMIT_MB, `peak RSS ${peak.toFixed(0)} MB is under ${PEAK_RSS_LIMIT_MB} MB`);
  const stopped = await service.stop();
  assert.equal(stopped.code, 0, 'SIGTERM stops it cleanly');
});
