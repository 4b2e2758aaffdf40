/**
 * The pages in the service, over HTTP without a browser: PUBLIC_URL and the default documentation links, the
 * security headers, methods, bad ids, and a history store that fails — the page says so with a 500, the reviews
 * go on, the service stays up.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { effectiveDocsUrl, startServer } from '../../src/server.js';
import { readEnv } from '../../src/service/read-env.js';
import type { ServiceConfig } from '../../src/service/read-env.js';
import { InMemoryReviewHistory } from '../../src/service/review-history-memory.js';
import type { ReviewHistory } from '../../src/service/review-history.js';
import { pageLink } from '../../src/pages/markdown.js';
import { CONTENT_SECURITY_POLICY } from '../../src/pages/serve-pages.js';
import { startPagesService } from '../pages/pages-service.js';

const CONFIG: ServiceConfig = { port: 0, host: '127.0.0.1', dataDir: './var', botName: 'heartbeat-bot', dryRun: false, logLevel: 'silent', logFormat: 'json' };

test('PUBLIC_URL: an absolute http(s) URL, trailing slashes dropped; it makes the rule pages the default DOCS_URL', () => {
  assert.equal(readEnv({ PUBLIC_URL: 'https://bot.example.org/' }).config?.publicUrl, 'https://bot.example.org');
  assert.equal(readEnv({ PUBLIC_URL: 'https://example.org/heartbeat//' }).config?.publicUrl, 'https://example.org/heartbeat');
  for (const bad of ['bot.example.org', 'ftp://x', 'https://x/?a=1']) {
    const { config, problems } = readEnv({ PUBLIC_URL: bad });
    assert.equal(config, undefined, bad);
    assert.match(problems[0] ?? '', /^PUBLIC_URL: must be the absolute http\(s\) URL/);
  }
  assert.equal(readEnv({}).config?.publicUrl, undefined);
  assert.equal(effectiveDocsUrl({ publicUrl: 'https://bot.example.org' }), 'https://bot.example.org/rules/');
  assert.equal(effectiveDocsUrl({ publicUrl: 'https://bot.example.org', docsUrl: 'https://docs.example.org/r/' }), 'https://docs.example.org/r/', 'DOCS_URL wins');
  assert.equal(effectiveDocsUrl({}), undefined);
});

test('pages answer GET and HEAD with a strict CSP and nosniff; other methods 405; bad ids 404; no page for unknown paths', async () => {
  const server = await startServer(CONFIG, { log: pino({ level: 'silent' }), defaultMetrics: false });
  try {
    for (const path of ['/', '/rules', '/rules/heartbeat-disabled', '/reviews.json', '/assets/style.css', '/assets/refresh.js']) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      await response.arrayBuffer();
    }
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'self'/);
    const head = await fetch(`${server.url}/rules`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${server.url}/`, { method: 'POST', body: 'x' })).status, 405);
    for (const path of ['/reviews/1', '/reviews/abc', '/reviews/99999999999999999999', '/reviews/%3Cscript%3E', '/rules/NOPE', '/rules/x/y']) {
      const response = await fetch(server.url + path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(await response.text(), /<script>/, path);
    }
    assert.equal((await fetch(`${server.url}/nothing-here`)).status, 404);
    assert.deepEqual(await (await fetch(`${server.url}/reviews.json`)).json().then((j: { reviews: unknown[] }) => j.reviews), []);
  } finally {
    await server.close();
  }
});

test("a rule page's evidence link opens the lab's results, and links between READMEs open the service's pages", async () => {
  const server = await startServer(CONFIG, { log: pino({ level: 'silent' }), defaultMetrics: false });
  try {
    const page = await (await fetch(`${server.url}/rules/heartbeat-disabled`)).text();
    // The README links lab/RESULTS.md as a checkout sees it (../../lab/RESULTS.md); the page links /lab.
    assert.match(page, /<a href="\/lab">lab\/RESULTS\.md<\/a>/);
    assert.doesNotMatch(page, /href="\.\.\/\.\.\/lab/);
    const lab = await fetch(`${server.url}/lab`);
    assert.equal(lab.status, 200);
    assert.equal(lab.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    const text = await lab.text();
    assert.match(text, /<h1>Evidence lab results<\/h1>/);
    assert.match(text, /drop-hb0/, 'the dropped-path scenario is on the page');
    assert.equal(pageLink('../mpm-threads-sizing/README.md#why'), '/rules/mpm-threads-sizing#why');
    assert.equal(pageLink('../README.md'), '/rules');
    assert.equal(pageLink('https://bugs.launchpad.net/nova/+bug/1829062'), 'https://bugs.launchpad.net/nova/+bug/1829062');
  } finally {
    await server.close();
  }
});

/** A history whose every call fails, as Redis away would. */
class BrokenHistory extends InMemoryReviewHistory implements ReviewHistory {
  override add(): never {
    throw new Error('history store away');
  }
  override recent(): Promise<never> {
    return Promise.reject(new Error('history store away'));
  }
}

test('a failing history: / answers 500 with a page, reviews are still posted, the service stays up', async () => {
  const svc = await startPagesService({ history: new BrokenHistory() });
  try {
    const page = await fetch(`${svc.url}/`);
    assert.equal(page.status, 500);
    assert.match(await page.text(), /could not be built/);
    await svc.review(9001);
    const end = Date.now() + 10_000;
    while (!svc.fake.reviews.some((r) => r.number === 9001 && r.status === 200)) {
      if (Date.now() > end) throw new Error('no review posted');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await fetch(`${svc.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${svc.url}/rules`)).status, 200);
  } finally {
    await svc.close();
  }
});
