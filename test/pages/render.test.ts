/**
 * The renderers without a browser: the escape helper, and every page with text from a change that tries to be
 * markup (`<script>`, `"><img onerror>`) in the places a change controls — paths, messages, commit subjects, errors,
 * posted bodies. The rendered HTML must hold that text only as entities.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, safeHref, trustedHtml } from '../../src/pages/html.js';
import { renderMarkdown } from '../../src/pages/markdown.js';
import { recentReviewsJson, renderRecentReviews, type ServiceStatus } from '../../src/pages/recent-reviews.js';
import { renderReviewDetail } from '../../src/pages/review-detail.js';
import { matches, renderRulesCatalogue } from '../../src/pages/rules-catalogue.js';
import { renderRulePage } from '../../src/pages/rule-page.js';
import type { RuleDoc } from '../../src/pages/rule-docs.js';
import { launchpadBug } from '../../src/pages/launchpad-bugs.js';
import type { ReviewRecord } from '../../src/service/review-history.js';
import { formatDuration } from '../../src/pages/format.js';

const SCRIPT = '<script>alert(1)</script>';
const ATTR = '"><img src=x onerror=alert(2)>';
const EVIL = `${SCRIPT}${ATTR}'`;

/** Markup a change injected would show up as one of these tags or attributes. */
function assertNoInjectedMarkup(page: string): void {
  assert.doesNotMatch(page, /<script>alert/);
  assert.doesNotMatch(page, /<img/);
  assert.doesNotMatch(page, /onerror=alert\(2\)>/);
  assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(page, /&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/);
}

test('html escapes every interpolation, in content and attributes, unless it is already SafeHtml', () => {
  assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  assert.equal(html`<a title="${ATTR}">${SCRIPT}</a>`.value, '<a title="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</a>');
  assert.equal(html`<p>${['a', html`<b>${'<'}</b>`, 1, undefined, null, false]}</p>`.value, '<p>a<b>&lt;</b>1</p>');
  assert.equal(html`${trustedHtml('<em>ok</em>')}`.value, '<em>ok</em>');
  assert.equal(safeHref('javascript:alert(1)'), undefined);
  assert.equal(safeHref('data:text/html,x'), undefined);
  assert.equal(safeHref('//evil.example'), undefined);
  assert.equal(safeHref('/rules/x'), '/rules/x');
  assert.equal(safeHref('https://review.opendev.org/c/x/+/1'), 'https://review.opendev.org/c/x/+/1');
});

const STATUS: ServiceStatus = { github: true, gerrit: true, dryRun: false, queues: [{ platform: 'gerrit', depth: 2, running: 1, dead: 1 }], stream: { events: ['ssh'], connected: false, lastEventSeen: EVIL } };

function evilRecord(): ReviewRecord {
  return {
    id: '7',
    platform: 'github',
    key: `github:o/r#1@${EVIL}`,
    project: `o/${EVIL}`,
    change: 1,
    sha: EVIL,
    subject: EVIL,
    url: 'javascript:alert(3)',
    reason: EVIL,
    status: 'dead',
    skipped: EVIL,
    error: `GET /x failed: ${EVIL}`,
    severities: { error: 1, warning: 0, info: 0 },
    finishedAt: 1_795_000_000_000,
    durationMs: 1500,
    findings: [{ severity: 'error', ruleId: 'nova-wsgi-threads-not-1', path: `manifests/${EVIL}.pp`, line: 2, message: EVIL }],
    concurrency: { header: ['service', 'threads'], rows: [[EVIL, EVIL]] },
    posted: [{ request: `POST ${EVIL}`, body: { message: EVIL, comments: { [EVIL]: [{ message: EVIL }] } } }],
    apiCalls: 3,
    details: { [EVIL]: EVIL },
    notes: [EVIL],
  };
}

test('/ and /reviews.json: paths, subjects, errors and stream details from a change are text', () => {
  const record = evilRecord();
  const page = renderRecentReviews([record], STATUS);
  assertNoInjectedMarkup(page);
  assert.doesNotMatch(page, /href="javascript:/, 'a javascript: change URL is not a link');
  assert.match(page, /dead-lettered/);
  assert.match(page, /stream disconnected/);
  assert.match(page, /2 waiting, 1 running, 1 dead/);
  const json = recentReviewsJson([record], STATUS);
  assertNoInjectedMarkup(json.rowsHtml);
  assert.doesNotMatch(json.statusHtml, /<script>alert/);
  assert.match(json.version, /^[0-9a-f]{16}$/);
  assert.notEqual(recentReviewsJson([], STATUS).version, json.version, 'the version changes with the rows');
  assert.match(renderRecentReviews([], STATUS), /No reviews yet/);
});

test('/reviews/<id>: findings, table, details and what was posted from a change are text', () => {
  const page = renderReviewDetail(evilRecord());
  assertNoInjectedMarkup(page);
  assert.doesNotMatch(page, /href="javascript:/);
  // The posted body is the JSON as sent, escaped once.
  assert.match(page, /&quot;message&quot;: &quot;&lt;script&gt;alert\(1\)/);
  assert.match(page, /<a href="\/rules\/nova-wsgi-threads-not-1">/);
});

const DOC: RuleDoc = {
  id: 'nova-wsgi-threads-not-1',
  description: 'An eventlet-patched nova API runs with `threads` > 1',
  severity: 'error',
  kinds: ['puppet', 'hiera'],
  references: ['https://bugs.launchpad.net/nova/+bug/1829062', 'https://example.org/doc'],
  readme: `# nova-wsgi-threads-not-1\n\n## Bad\n\n\`\`\`puppet\nclass { 'nova::wsgi::apache_api': threads => 4 }\n\`\`\`\n\n${SCRIPT}\n\n[x](javascript:alert(1))\n`,
};

test('rule pages: README raw HTML and javascript: links are inert, code is highlighted on the server', () => {
  const page = renderRulePage(DOC);
  assert.doesNotMatch(page, /<script>alert/);
  assert.doesNotMatch(page, /href="javascript:/);
  assert.match(page, /<code class="language-puppet"><span class="hljs-keyword">class<\/span>/);
  assert.equal((page.match(/<h1[ >]/g) ?? []).length, 1, 'the README title is not a second h1');
  assert.match(page, /nova bug 1829062<\/a>: nova heartbeat and eventlet number of threads/);
  assert.match(page, /<code>threads<\/code>/, 'inline Markdown of the description');
  assert.match(renderMarkdown('```ini\n[DEFAULT]\nx = 1\n```\n'), /hljs-section/);
  assert.match(renderMarkdown('```nosuchlang\n<b>\n```\n'), /&lt;b&gt;/);
});

test('the catalogue filters by words over id, formats and bugs, and by severity; the query is echoed as text', () => {
  assert.ok(matches(DOC, { q: 'hieradata 1829062' }));
  assert.ok(matches(DOC, { q: 'NOVA', severity: 'error' }));
  assert.ok(!matches(DOC, { q: 'uwsgi' }));
  assert.ok(!matches(DOC, { severity: 'info' }));
  const page = renderRulesCatalogue([DOC, { ...DOC, id: 'other-rule', kinds: ['uwsgi'], severity: 'info', references: [] }], { q: `uwsgi ${ATTR}`, severity: 'info' });
  assert.doesNotMatch(page, /<img/);
  assert.match(page, /value="uwsgi &quot;&gt;&lt;img/);
  assert.match(page, /0 of 2 rules shown/);
  assert.match(renderRulesCatalogue([DOC], { severity: 'error' }), /1 of 1 rules shown/);
});

test('Launchpad references: only bugs.launchpad.net bug URLs, titles marked when unverified', () => {
  assert.deepEqual(launchpadBug('https://bugs.launchpad.net/nova/+bug/856764'), { project: 'nova', number: '856764', url: 'https://bugs.launchpad.net/nova/+bug/856764', title: 'RabbitMQ connections lack heartbeat or TCP keepalives', verified: true });
  assert.equal(launchpadBug('https://bugs.launchpad.net/oslo.messaging/+bug/1934937')?.verified, false);
  assert.equal(launchpadBug('https://example.org/+bug/1'), undefined);
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(65_000), '1 min 5 s');
});
