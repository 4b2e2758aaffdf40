/**
 * `GET /`: the recent reviews (platform, project, change with its link, patch set or SHA, subject, findings by
 * severity, duration, status with the error of failed and dead-lettered jobs), the queues' depth and the Gerrit
 * stream's status. /assets/refresh.js polls `GET /reviews.json` (recentReviewsJson) and swaps in the rows and the
 * status it carries, rendered here, so the table updates without a reload; without JavaScript a noscript
 * meta refresh reloads the page instead.
 */
import { createHash } from 'node:crypto';
import type { ReviewSummary } from '../service/review-history.js';
import { formatDuration, formatTime, shortSha } from './format.js';
import { html, safeHref, type SafeHtml } from './html.js';
import { layout } from './layout.js';

export interface QueueStatus {
  platform: 'github' | 'gerrit';
  /** Jobs waiting (including retries waiting for their backoff). */
  depth: number;
  running?: number;
  dead?: number;
}

export interface ServiceStatus {
  github: boolean;
  gerrit: boolean;
  dryRun: boolean;
  queues: QueueStatus[];
  /** Gerrit's events: how they arrive and, with SSH, whether the stream is connected. */
  stream?: { events: string[]; connected?: boolean; reconnects?: number; lastEventSeen?: string };
}

const PLATFORM: Readonly<Record<string, string>> = { github: 'GitHub', gerrit: 'Gerrit' };

function changeCell(r: ReviewSummary): SafeHtml {
  const label = r.platform === 'github' ? `#${r.change}` : String(r.change);
  const href = safeHref(r.url);
  return href !== undefined ? html`<a href="${href}">${label}</a>` : html`${label}`;
}

function versionCell(r: ReviewSummary): SafeHtml {
  if (r.platform === 'gerrit') return html`${r.patchSet !== undefined ? `PS ${r.patchSet}` : ''}${r.sha !== undefined ? html` <code class="muted" title="${r.sha}">${shortSha(r.sha)}</code>` : ''}`;
  return r.sha !== undefined ? html`<code title="${r.sha}">${shortSha(r.sha)}</code>` : html``;
}

function findingsCell(r: ReviewSummary): SafeHtml {
  const s = r.severities;
  if (s.error + s.warning + s.info === 0) return html`<span class="muted">none</span>`;
  return html`${s.error > 0 ? html`<span class="sev sev-error">${s.error} error${s.error === 1 ? '' : 's'}</span> ` : ''}${s.warning > 0 ? html`<span class="sev sev-warning">${s.warning} warning${s.warning === 1 ? '' : 's'}</span> ` : ''}${s.info > 0 ? html`<span class="sev sev-info">${s.info} info</span>` : ''}`;
}

const STATUS_LABEL: Readonly<Record<string, string>> = { done: 'done', skipped: 'skipped', 'dry-run': 'dry run', failed: 'failed (will retry)', dead: 'dead-lettered' };

function statusCell(r: ReviewSummary): SafeHtml {
  return html`<span class="status status-${r.status}">${STATUS_LABEL[r.status] ?? r.status}</span>${r.skipped !== undefined ? html`<br><span class="muted">${r.skipped}</span>` : ''}${r.error !== undefined ? html`<br><span class="error-text">${r.error}</span>` : ''}`;
}

/** The table body's rows (also sent by /reviews.json for the live refresh). */
export function recentRows(reviews: readonly ReviewSummary[]): SafeHtml {
  if (reviews.length === 0) return html`<tr><td colspan="9" class="muted">No reviews yet. Reviews appear here as they finish.</td></tr>`;
  return html`${reviews.map(
    (r) => html`<tr data-review="${r.id}">
<td class="nowrap"><a href="/reviews/${r.id}"><time datetime="${new Date(r.finishedAt).toISOString()}">${formatTime(r.finishedAt).split(' ').map((part, i) => html`${i > 0 ? html`<br>` : ''}${part}`)}</time></a></td>
<td>${PLATFORM[r.platform] ?? r.platform}</td>
<td class="path">${r.project}</td>
<td>${changeCell(r)}</td>
<td>${versionCell(r)}</td>
<td class="subject">${r.subject ?? ''}</td>
<td>${findingsCell(r)}</td>
<td class="num">${formatDuration(r.durationMs)}</td>
<td class="status-cell">${statusCell(r)}</td>
</tr>\n`,
  )}`;
}

/** The queue and stream cards (also sent by /reviews.json). */
export function statusCards(status: ServiceStatus): SafeHtml {
  const platforms = [status.github ? 'GitHub' : undefined, status.gerrit ? 'Gerrit' : undefined].filter((p) => p !== undefined);
  return html`<li><span class="label">Reviewing</span><span class="value">${platforms.length > 0 ? platforms.join(' and ') : 'nothing configured'}${status.dryRun ? ' (dry run)' : ''}</span></li>
${status.queues.map(
  (q) => html`<li><span class="label">${PLATFORM[q.platform]} queue</span><span class="value">${q.depth} waiting${q.running !== undefined ? `, ${q.running} running` : ''}${q.dead !== undefined && q.dead > 0 ? `, ${q.dead} dead` : ''}</span></li>\n`,
)}${
    status.stream !== undefined
      ? html`<li><span class="label">Gerrit events</span><span class="value">${
          status.stream.connected === undefined
            ? status.stream.events.join(', ')
            : status.stream.connected
              ? 'stream connected'
              : html`<span class="error-text">stream disconnected</span>`
        }</span>${status.stream.lastEventSeen !== undefined ? html`<span class="label">last event ${status.stream.lastEventSeen}</span>` : ''}</li>`
      : ''
  }`;
}

export function renderRecentReviews(reviews: readonly ReviewSummary[], status: ServiceStatus, options: { refreshMs?: number; botName?: string } = {}): string {
  const refreshMs = options.refreshMs ?? 5000;
  const main = html`<h1>Recent reviews</h1>
<section aria-labelledby="status-h">
<h2 id="status-h">Service</h2>
<ul class="cards" id="service-status">${statusCards(status)}</ul>
</section>
<section aria-labelledby="reviews-h">
<h2 id="reviews-h">Reviews, newest first</h2>
<p id="live-status" class="live" role="status" aria-live="polite"></p>
<div class="table-wrap">
<table id="recent">
<caption class="muted">The last ${reviews.length} finished review${reviews.length === 1 ? '' : 's'}; failed attempts are retried, dead-lettered ones are not.</caption>
<thead><tr><th scope="col">Finished</th><th scope="col">Platform</th><th scope="col">Project</th><th scope="col">Change</th><th scope="col">Patch set / SHA</th><th scope="col">Subject</th><th scope="col">Findings</th><th scope="col" class="num">Duration</th><th scope="col">Status</th></tr></thead>
<tbody id="recent-rows" data-source="/reviews.json" data-interval="${refreshMs}" data-version="${versionOf(reviews, status)}">
${recentRows(reviews)}</tbody>
</table>
</div>
</section>`;
  const head = html`<noscript><meta http-equiv="refresh" content="${Math.max(5, Math.round(refreshMs / 1000) * 6)}"></noscript>`;
  return layout({ title: 'Recent reviews', section: 'reviews', main, head, scripts: ['/assets/refresh.js'], ...(options.botName !== undefined ? { botName: options.botName } : {}) });
}

/** A short digest of what the page shows, so refresh.js swaps the markup only when it changed. */
function versionOf(reviews: readonly ReviewSummary[], status: ServiceStatus): string {
  return createHash('sha1').update(recentRows(reviews).value).update(statusCards(status).value).digest('hex').slice(0, 16);
}

export interface RecentReviewsJson {
  reviews: readonly ReviewSummary[];
  status: ServiceStatus;
  version: string;
  rowsHtml: string;
  statusHtml: string;
}

/** `GET /reviews.json`: the data, and the rows and status as the page renders them (for refresh.js). */
export function recentReviewsJson(reviews: readonly ReviewSummary[], status: ServiceStatus): RecentReviewsJson {
  return { reviews, status, version: versionOf(reviews, status), rowsHtml: recentRows(reviews).value, statusHtml: statusCards(status).value };
}
