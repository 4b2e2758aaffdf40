/**
 * The recent-reviews pages in headless Chromium against the real service and the fake Gerrit: a finished review
 * appears on `/` without a reload, its detail page shows its findings, concurrency table and exactly what was
 * posted, a dead-lettered job shows its error, and a change's malicious file path and commit subject are shown as
 * text, never run as markup.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessible, launchChromium, noBrowser } from './browser.js';
import { PROJECT, startPagesService, THREADS_PP, type PagesService } from './pages-service.js';

const skip = noBrowser();
let browser: Browser;
let svc: PagesService;

before(async () => {
  if (skip !== undefined) return;
  browser = await launchChromium();
  svc = await startPagesService({ refreshMs: 200 });
});
after(async () => {
  await browser?.close();
  await svc?.close();
});

test('/ shows a review that finishes while it is open, without reloading the page', { skip }, async () => {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(`${svc.url}/`);
  await assertAccessible(page);
  const before = await page.locator('#recent-rows tr[data-review]').count();
  // A marker that a reload would wipe.
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });
  await svc.review(8201, { subject: 'Raise nova-api threads' });
  const row = page.locator('#recent-rows tr', { hasText: 'Raise nova-api threads' });
  await row.waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), true, 'the page was not reloaded');
  assert.equal(await page.locator('#recent-rows tr[data-review]').count(), before + 1);
  const text = await row.innerText();
  assert.match(text, /Gerrit/);
  assert.match(text, new RegExp(PROJECT));
  assert.match(text, /PS 1/);
  assert.match(text, /1 error/);
  assert.match(text, /\bdone\b/);
  assert.equal(await row.getByRole('link', { name: '8201' }).getAttribute('href'), `${svc.fake.url}/c/${PROJECT}/+/8201/1`);
  await page.locator('#live-status', { hasText: /Reviews updated/ }).waitFor({ timeout: 5000 });
  // Queue depth and how Gerrit events arrive.
  assert.match(await page.locator('#service-status').innerText(), /Gerrit queue\s*0 waiting/);
  assert.deepEqual(problems, []);
});

test('/reviews/<id>: the findings, the effective concurrency table and exactly what was posted', { skip }, async () => {
  await svc.review(8301, { subject: 'Two findings', files: [{ path: 'hieradata/common.yaml', oldContent: 'nova::wsgi::apache_api::threads: 1\n', newContent: 'nova::wsgi::apache_api::threads: 4\nnova::rabbit_heartbeat_timeout_threshold: 0\n' }] });
  const [latest] = await waitFor(async () => (await svc.server.history.recent(5)).filter((r) => r.change === 8301));
  const page = await browser.newPage();
  await page.goto(`${svc.url}/`);
  await page.locator('#recent-rows tr', { hasText: 'Two findings' }).getByRole('link').first().click();
  await page.waitForURL(`${svc.url}/reviews/${latest!.id}`);
  assert.equal(await page.locator('h1').innerText(), `Review of ${PROJECT} 8301,1`);
  await assertAccessible(page);
  const findings = await page.locator('section[aria-labelledby="findings-h"] tbody tr').allInnerTexts();
  assert.ok(findings.some((f) => /nova-wsgi-threads-not-1/.test(f) && /hieradata\/common\.yaml:1/.test(f)), findings.join('\n'));
  // Each finding links to its rule page.
  const ruleLink = page.locator('section[aria-labelledby="findings-h"] a', { hasText: 'nova-wsgi-threads-not-1' }).first();
  assert.equal(await ruleLink.getAttribute('href'), '/rules/nova-wsgi-threads-not-1');
  const table = page.locator('section[aria-labelledby="concurrency-h"] table');
  assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['service', 'server', 'processes', 'threads', 'eventlet', 'heartbeat', 'threshold']);
  assert.match(await table.locator('tbody tr').first().innerText(), /nova-api\s+mod_wsgi\s+\?\s+4\s+patched/);
  // What was posted is the ReviewInput the fake Gerrit received, byte for byte as JSON.
  const posted = svc.fake.reviews.find((r) => r.number === 8301 && r.status === 200);
  const shown = await page.locator('section[aria-labelledby="posted-h"] pre').first().innerText();
  assert.deepEqual(JSON.parse(shown), posted?.input);
  assert.match(await page.locator('section[aria-labelledby="posted-h"] h3').first().innerText(), /^POST \/a\/changes\/.+\/review$/);
});

test('a dead-lettered job is on / with its error', { skip }, async () => {
  svc.fake.addChange({ project: PROJECT, number: 8401, branch: 'stable/wallaby', subject: 'Forbidden', patchSets: [{ files: [{ path: 'manifests/api.pp', newContent: THREADS_PP }] }] });
  // A 403 on reading the change will not change by retrying: the job is dead-lettered at once.
  svc.fake.failNext({ method: 'GET', path: /changes\/openstack%2Fpuppet-nova~8401/, status: 403, times: 10, body: 'read not permitted' });
  const { body, headers } = svc.fake.webhookBody(svc.fake.patchsetCreatedEvent(PROJECT, 8401));
  assert.equal((await fetch(`${svc.url}/gerrit/events?token=a-webhook-token-for-the-page-tests`, { method: 'POST', headers, body })).status, 202);
  const [dead] = await waitFor(async () => (await svc.server.history.recent(20)).filter((r) => r.change === 8401 && r.status === 'dead'));
  const page = await browser.newPage();
  await page.goto(`${svc.url}/`);
  const row = page.locator(`#recent-rows tr[data-review="${dead!.id}"]`);
  assert.match(await row.innerText(), /dead-lettered/);
  assert.match(await row.locator('.error-text').innerText(), /403/);
});

test('a malicious file path and commit subject are shown as text, not markup', { skip }, async () => {
  const subject = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Tune';
  const path = 'manifests/"><img src=x onerror="window.__pwned=3">.pp';
  await svc.review(8501, { subject, files: [{ path, newContent: THREADS_PP }] });
  const [record] = await waitFor(async () => (await svc.server.history.recent(20)).filter((r) => r.change === 8501));
  assert.equal(record!.subject, subject);
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  for (const url of [`${svc.url}/`, `${svc.url}/reviews/${record!.id}`]) {
    await page.goto(url);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, url);
    assert.equal(await page.locator('main img').count(), 0, `no injected img on ${url}`);
    assert.equal(await page.locator('main script').count(), 0, `no injected script on ${url}`);
    assert.ok((await page.locator('main').innerText()).includes(subject), `the subject as text on ${url}`);
  }
  // The path, as text, in the findings of the detail page.
  assert.ok((await page.locator('section[aria-labelledby="findings-h"]').innerText()).includes(`${path}:2`));
  assert.deepEqual(dialogs, []);
});

async function waitFor<T>(get: () => Promise<T[]>, timeoutMs = 10_000): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await get();
    if (found.length > 0) return found;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
