/**
 * `GET /reviews/<id>`: one review — what it was about, its status and error, the findings (each linked to its rule
 * page), the effective concurrency table, and exactly what was posted (every API write's body as JSON, or what a
 * dry run would have posted).
 */
import type { ReviewRecord } from '../service/review-history.js';
import { formatDuration, formatTime } from './format.js';
import { html, safeHref } from './html.js';
import { layout } from './layout.js';

const PLATFORM: Readonly<Record<string, string>> = { github: 'GitHub', gerrit: 'Gerrit' };
const STATUS_LABEL: Readonly<Record<string, string>> = { done: 'done', skipped: 'skipped', 'dry-run': 'dry run: nothing posted', failed: 'failed (will be retried)', dead: 'dead-lettered (not retried)' };

export function renderReviewDetail(r: ReviewRecord, options: { botName?: string } = {}): string {
  const change = r.platform === 'github' ? `${r.project}#${r.change}` : `${r.project} ${r.change}${r.patchSet !== undefined ? `,${r.patchSet}` : ''}`;
  const href = safeHref(r.url);
  const main = html`<h1>Review of ${change}</h1>
<dl class="facts">
<dt>Platform</dt><dd>${PLATFORM[r.platform] ?? r.platform}</dd>
<dt>Change</dt><dd>${href !== undefined ? html`<a href="${href}">${href}</a>` : change}</dd>
${r.subject !== undefined ? html`<dt>Subject</dt><dd class="subject">${r.subject}</dd>` : ''}
${r.sha !== undefined ? html`<dt>${r.platform === 'github' ? 'Head SHA' : 'Revision'}</dt><dd><code>${r.sha}</code></dd>` : ''}
${r.reason !== undefined ? html`<dt>Event</dt><dd>${r.reason}</dd>` : ''}
<dt>Status</dt><dd><span class="status status-${r.status}">${STATUS_LABEL[r.status] ?? r.status}</span>${r.skipped !== undefined ? html` — ${r.skipped}` : ''}</dd>
${r.error !== undefined ? html`<dt>Error</dt><dd class="error-text">${r.error}</dd>` : ''}
<dt>Finished</dt><dd><time datetime="${new Date(r.finishedAt).toISOString()}">${formatTime(r.finishedAt)}</time> after ${formatDuration(r.durationMs)}</dd>
<dt>Findings</dt><dd>${r.severities.error} error(s), ${r.severities.warning} warning(s), ${r.severities.info} info</dd>
${r.apiCalls !== undefined ? html`<dt>API calls</dt><dd>${r.apiCalls}</dd>` : ''}
${Object.entries(r.details).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>\n`)}
<dt>Queue key</dt><dd><code>${r.key}</code></dd>
</dl>
<section aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
${
  r.findings.length === 0
    ? html`<p class="muted">None in what was posted.</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Message</th></tr></thead>
<tbody>
${r.findings.map(
  (f) => html`<tr><td><span class="sev sev-${f.severity}">${f.severity}</span></td><td class="rule"><a href="/rules/${encodeURIComponent(f.ruleId)}"><code>${f.ruleId}</code></a></td><td class="path"><code>${f.path}:${f.line}</code></td><td>${f.message}</td></tr>\n`,
)}</tbody>
</table></div>`
}
${r.notes.map((n) => html`<p class="muted">${n}</p>`)}
</section>
<section aria-labelledby="concurrency-h">
<h2 id="concurrency-h">Effective concurrency</h2>
${
  r.concurrency === undefined || r.concurrency.rows.length === 0
    ? html`<p class="muted">No service's concurrency settings in this change.</p>`
    : html`<div class="table-wrap"><table>
<thead><tr>${r.concurrency.header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>
${r.concurrency.rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`))}</tr>\n`)}</tbody>
</table></div>`
}
</section>
<section aria-labelledby="posted-h">
<h2 id="posted-h">What was posted</h2>
${
  r.posted.length === 0
    ? html`<p class="muted">Nothing.</p>`
    : r.posted.map(
        (p, i) => html`<h3 id="posted-${i + 1}">${p.wouldPost === true ? 'Would have sent (dry run): ' : ''}<code>${p.request}</code></h3>
<pre><code>${JSON.stringify(p.body, null, 2) ?? 'null'}</code></pre>\n`,
      )
}
</section>`;
  return layout({ title: `Review of ${change}`, section: 'reviews', main, ...(options.botName !== undefined ? { botName: options.botName } : {}) });
}
