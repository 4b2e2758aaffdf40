/**
 * `GET /rules`: the catalogue — id, formats, severity, Launchpad bugs, one-line description — filterable by text
 * and severity. The filter is a GET form the server applies (works without JavaScript); /assets/filter.js applies
 * it live as the user types.
 */
import type { Severity } from '../model/finding.js';
import { html, type SafeHtml } from './html.js';
import { launchpadBug } from './launchpad-bugs.js';
import { layout } from './layout.js';
import { KIND_LABELS, type RuleDoc } from './rule-docs.js';
import { renderInlineMarkdown } from './markdown.js';

export interface RuleFilter {
  q?: string;
  severity?: Severity | '';
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Words the row is searched by: id, description, formats, bug numbers and projects. */
function searchText(doc: RuleDoc): string {
  const bugs = doc.references.map(launchpadBug).filter((b) => b !== undefined).map((b) => `${b.project} ${b.number}`);
  return [doc.id, doc.description, ...doc.kinds.map((k) => KIND_LABELS[k]), ...bugs].join(' ').toLowerCase();
}

export function matches(doc: RuleDoc, filter: RuleFilter): boolean {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter((w) => w !== '');
  const text = searchText(doc);
  return words.every((w) => text.includes(w)) && (filter.severity === undefined || filter.severity === '' || doc.severity === filter.severity);
}

export function bugLinks(references: readonly string[]): SafeHtml {
  const bugs = references.map(launchpadBug).filter((b) => b !== undefined);
  return html`${bugs.map((b, i) => html`${i > 0 ? ', ' : ''}<a href="${b.url}" title="${b.title}">${b.project} #${b.number}</a>`)}`;
}

export function renderRulesCatalogue(docs: readonly RuleDoc[], filter: RuleFilter = {}, botName?: string): string {
  const severity = SEVERITIES.includes(filter.severity as Severity) ? (filter.severity as Severity) : '';
  const shown = docs.filter((d) => matches(d, { ...filter, severity }));
  const rows = docs.map((d) => {
    const visible = shown.includes(d);
    return html`<tr data-search="${searchText(d)}" data-severity="${d.severity}"${visible ? '' : html` hidden`}>
<th scope="row"><a href="/rules/${encodeURIComponent(d.id)}"><code>${d.id}</code></a></th>
<td>${d.kinds.length > 0 ? d.kinds.map((k) => KIND_LABELS[k]).join(', ') : html`<span class="muted">heartbeat-bot comments</span>`}</td>
<td><span class="sev sev-${d.severity}">${d.severity}</span></td>
<td>${bugLinks(d.references)}</td>
<td>${renderInlineMarkdown(d.description)}</td>
</tr>`;
  });
  const main = html`<h1>Rules</h1>
<p>Every rule heartbeat-bot checks, with the upstream bugs it is grounded in. Each comment the bot posts links to its rule's page here. Severity is the default; a release or the repository's configuration may change it.</p>
<form class="filter" id="rule-filter" method="get" action="/rules" role="search">
<div><label for="rule-q">Filter rules</label><input id="rule-q" name="q" type="search" value="${filter.q ?? ''}" placeholder="id, format, bug number…"></div>
<div><label for="rule-severity">Severity</label><select id="rule-severity" name="severity">
<option value=""${severity === '' ? ' selected' : ''}>any</option>
${SEVERITIES.map((s) => html`<option value="${s}"${severity === s ? html` selected` : ''}>${s}</option>`)}
</select></div>
<div><button type="submit">Filter</button></div>
</form>
<p id="rule-count" class="live" role="status" aria-live="polite">${shown.length} of ${docs.length} rules shown</p>
<div class="table-wrap">
<table id="rules">
<caption class="muted">Rule catalogue</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Formats</th><th scope="col">Severity</th><th scope="col">Bugs</th><th scope="col">Description</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>`;
  return layout({ title: 'Rules', section: 'rules', main, scripts: ['/assets/filter.js'], ...(botName !== undefined ? { botName } : {}) });
}
