/**
 * The pages for GitHub pull requests, in headless Chromium against the real service, the real Probot app and the
 * fake GitHub (signed webhook deliveries): the review's row links to the pull request, its detail page shows the
 * check run and review exactly as posted, the rule link of an inline comment the fake received opens that rule's
 * page on this service (PUBLIC_URL), and a malicious pull-request title and file path stay text.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertAccessible, launchChromium, noBrowser } from './browser.js';
import { freePort } from '../service/process-harness.js';
import { OWNER, pullRequestPayload, REPO, startHarness, THREADS_PP, type Harness } from '../service/github-harness.js';

const skip = noBrowser();
let browser: Browser;
let h: Harness;
let url: string;

before(async () => {
  if (skip !== undefined) return;
  browser = await launchChromium();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  h = await startHarness({ config: { port, publicUrl: url, logLevel: 'silent' }, overrides: { pages: { refreshMs: 200 } } });
});
after(async () => {
  await browser?.close();
  await h?.close();
});

test('a GitHub review: its row links to the pull request, its page shows the check run and review as posted, comment links open rule pages', { skip }, async () => {
  const pr = h.fake.addPullRequest({ owner: OWNER, repo: REPO, number: 31, title: 'Tune nova-api', base: { ref: 'stable/wallaby' }, head: { ref: 'tune' }, files: [{ path: 'manifests/nova_api.pp', newContent: THREADS_PP }] });
  assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', 31))).status, 200);
  await h.settle();
  const [record] = (await h.server.history.recent(5)).filter((r) => r.change === 31);
  assert.ok(record, 'recorded');
  assert.equal(record.status, 'done');
  assert.equal(record.subject, 'Tune nova-api');
  assert.equal(record.sha, pr.headSha);
  assert.equal(record.reason, 'pull_request.opened');
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  const row = page.locator(`#recent-rows tr[data-review="${record.id}"]`);
  assert.match(await row.innerText(), /GitHub\s+openstack-ops\/deployment\s+#31\s+\w{7}\s+Tune nova-api\s+1 error/);
  assert.equal(await row.getByRole('link', { name: '#31' }).getAttribute('href'), `https://github.com/${OWNER}/${REPO}/pull/31`);
  await row.getByRole('link').first().click();
  await page.waitForURL(`${url}/reviews/${record.id}`);
  await assertAccessible(page);
  const findings = await page.locator('section[aria-labelledby="findings-h"] tbody tr').allInnerTexts();
  assert.ok(findings.some((f) => /nova-wsgi-threads-not-1/.test(f) && /manifests\/nova_api\.pp:2/.test(f)), findings.join('\n'));
  assert.match(await page.locator('section[aria-labelledby="concurrency-h"] tbody tr').first().innerText(), /nova-api/);
  const requests = await page.locator('section[aria-labelledby="posted-h"] h3').allInnerTexts();
  assert.ok(requests.some((r) => /^POST \/repos\/\{owner\}\/\{repo\}\/check-runs$/.test(r)), requests.join('\n'));
  assert.ok(requests.some((r) => /^POST \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\/reviews$/.test(r)), requests.join('\n'));
  // The inline comment GitHub (the fake) stored links to this service's rule page, which opens.
  const comment = h.fake.state.reviewComments.find((c) => c.number === 31);
  assert.ok(comment, 'an inline comment was posted');
  const link = /\[Rule documentation\]\((\S+)\)/.exec(comment.body)?.[1];
  assert.equal(link, `${url}/rules/nova-wsgi-threads-not-1`);
  const rulePage = await browser.newPage();
  assert.equal((await rulePage.goto(link))?.status(), 200);
  assert.equal(await rulePage.locator('h1').innerText(), 'nova-wsgi-threads-not-1');
});

test('a malicious pull-request title and file path are shown as text on / and on the review page', { skip }, async () => {
  const title = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const path = 'manifests/"><img src=x onerror="window.__pwned=3">.pp';
  h.fake.addPullRequest({ owner: OWNER, repo: REPO, number: 32, title, base: { ref: 'stable/wallaby' }, head: { ref: 'evil' }, files: [{ path, newContent: THREADS_PP }] });
  assert.equal((await h.send('pull_request', pullRequestPayload(h, 'opened', 32))).status, 200);
  await h.settle();
  const [record] = (await h.server.history.recent(5)).filter((r) => r.change === 32);
  assert.equal(record?.subject, title);
  const page = await browser.newPage();
  for (const at of [`${url}/`, `${url}/reviews/${record!.id}`]) {
    await page.goto(at);
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, at);
    assert.equal(await page.locator('main img, main script').count(), 0, at);
    assert.ok((await page.locator('main').innerText()).includes(title), at);
  }
  assert.ok((await page.locator('section[aria-labelledby="findings-h"]').innerText()).includes(`${path}:2`));
});
