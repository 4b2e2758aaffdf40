/**
 * The rule pages in headless Chromium against the real service: the catalogue renders and filters (live, and by
 * its GET form), every rule has its page with highlighted examples and its Launchpad bugs, a link in a comment the
 * bot posted to the fake Gerrit opens that rule's page, and the pages keep to a strict CSP and basic accessibility.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launchChromium, noBrowser } from './browser.js';
import { startPagesService, type PagesService } from './pages-service.js';
import { CONTENT_SECURITY_POLICY } from '../../src/pages/serve-pages.js';

const skip = noBrowser();
let browser: Browser;
let svc: PagesService;

before(async () => {
  if (skip !== undefined) return;
  browser = await launchChromium();
  svc = await startPagesService();
});
after(async () => {
  await browser?.close();
  await svc?.close();
});

/** A page that fails the test on any console error or CSP violation. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto(svc.url + path);
  assert.equal(response?.status(), 200, path);
  assert.equal(response?.headers()['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(response?.headers()['x-content-type-options'], 'nosniff');
  return { page, problems };
}

test('/rules lists every rule with formats, severity and bugs, and filters as you type and by its form', { skip }, async () => {
  const { page, problems } = await open('/rules');
  await assertAccessible(page);
  const rows = page.locator('#rules tbody tr');
  const total = await rows.count();
  assert.ok(total >= 20, `${total} rules`);
  const nova = page.locator('#rules tbody tr', { has: page.locator('code', { hasText: /^nova-wsgi-threads-not-1$/ }) });
  assert.match(await nova.innerText(), /Puppet.*\n?.*error/s);
  assert.match(await nova.innerText(), /nova #1829062/);
  // Live: typing hides what does not match (JavaScript on).
  await page.getByLabel('Filter rules').fill('uwsgi');
  const visible = await page.locator('#rules tbody tr:visible').count();
  assert.ok(visible > 0 && visible < total, `${visible} of ${total} shown for 'uwsgi'`);
  for (const text of await page.locator('#rules tbody tr:visible').allInnerTexts()) assert.match(text.toLowerCase(), /uwsgi/);
  await page.getByLabel('Severity').selectOption('info');
  for (const text of await page.locator('#rules tbody tr:visible').allInnerTexts()) assert.match(text, /\binfo\b/);
  assert.match(await page.locator('#rule-count').innerText(), new RegExp(`of ${total} rules shown`));
  // Without JavaScript the form is a GET the server filters.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const noJs = await plain.newPage();
  await noJs.goto(`${svc.url}/rules`);
  await noJs.getByLabel('Filter rules').fill('1934937');
  await noJs.getByRole('button', { name: 'Filter' }).click();
  await noJs.waitForURL(/q=1934937/);
  const shown = await noJs.locator('#rules tbody tr:not([hidden])').allInnerTexts();
  assert.ok(shown.length > 0 && shown.length < total);
  for (const text of shown) assert.match(text, /#1934937/);
  await plain.close();
  assert.deepEqual(problems, []);
});

test('/rules/<id>: the README rendered, examples highlighted on the server, Launchpad bugs with their titles', { skip }, async () => {
  const { page, problems } = await open('/rules/nova-wsgi-threads-not-1');
  await assertAccessible(page);
  assert.equal(await page.locator('h1').innerText(), 'nova-wsgi-threads-not-1');
  for (const section of ['What', 'Why', 'Bad', 'Good', 'References']) {
    assert.equal(await page.getByRole('heading', { level: 2, name: section, exact: true }).count(), 1, section);
  }
  // The Puppet example is highlighted: keyword and string spans from highlight.js, no client-side code.
  const puppet = page.locator('pre code.language-puppet').first();
  assert.match(await puppet.innerText(), /nova::wsgi::apache_api/);
  assert.ok((await puppet.locator('span[class^="hljs-"]').count()) > 0, 'highlighted spans');
  assert.ok((await page.locator('pre code.language-yaml').count()) > 0);
  const bugs = page.locator('ul.bugs li');
  assert.match(await bugs.first().innerText(), /nova bug 1829062: .*threads/);
  const heartbeat = await open('/rules/heartbeat-disabled');
  assert.match(await heartbeat.page.locator('ul.bugs').innerText(), /nova bug 856764: “RabbitMQ connections lack heartbeat or TCP keepalives”/);
  // Engine checks have pages too (comments link to them).
  const engine = await open('/rules/unused-suppression');
  assert.equal(await engine.page.locator('h1').innerText(), 'unused-suppression');
  // Unknown and malformed ids are 404 pages, not errors (a page of its own: the browser logs each 404).
  const other = await browser.newPage();
  for (const path of ['/rules/no-such-rule', '/rules/%3Cscript%3E', '/rules/a/b']) {
    const response = await other.goto(svc.url + path);
    assert.equal(response?.status(), 404, path);
    assert.equal(await other.locator('h1').innerText(), 'Not found');
  }
  await other.close();
  assert.deepEqual([...problems, ...heartbeat.problems, ...engine.problems], []);
});

test('the rule link in a comment the bot posted to Gerrit opens that rule page on this service', { skip }, async () => {
  await svc.review(8101);
  await svc.recorded(1);
  const posted = svc.fake.reviews.find((r) => r.number === 8101 && r.status === 200);
  assert.ok(posted, 'a review was posted');
  const comments = Object.values(posted.input.comments as Record<string, { message: string }[]>).flat();
  assert.ok(comments.length > 0);
  const links = comments.map((c) => /^Rule documentation: (\S+)$/m.exec(c.message)?.[1]);
  const ruleIds = comments.map((c) => /^\w+: ([a-z0-9-]+)$/m.exec(c.message)?.[1]);
  assert.ok(links.every((l) => l !== undefined && l.startsWith(`${svc.url}/rules/`)), `links: ${links.join(', ')}`);
  for (const [i, link] of links.entries()) {
    const page = await browser.newPage();
    const response = await page.goto(link!);
    assert.equal(response?.status(), 200, link);
    assert.equal(await page.locator('h1').innerText(), ruleIds[i]);
    await page.close();
  }
  // The summary message links to the catalogue as the bot's page (PUBLIC_URL/rules).
  assert.match(String(posted.input.message), new RegExp(`${svc.url}/rules\\b`));
});
