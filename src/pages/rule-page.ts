/**
 * `GET /rules/<id>`: one rule — its README rendered (what, why, bad and good examples highlighted, how to fix,
 * references) under facts from its metadata, and its Launchpad bugs with what the project knows of their titles.
 * The URL is the rule id, which never changes (RuleMeta.id), so links in posted comments stay valid.
 */
import { html, trustedHtml } from './html.js';
import { launchpadBug } from './launchpad-bugs.js';
import { layout } from './layout.js';
import { renderInlineMarkdown, renderMarkdown } from './markdown.js';
import { KIND_LABELS, type RuleDoc } from './rule-docs.js';

/** The README without its first `# <id>` heading: the page's own h1 says it. */
function readmeBody(readme: string): string {
  return readme.replace(/^\s*#\s[^\n]*\n/, '');
}

export function renderRulePage(doc: RuleDoc, options: { docsUrl?: string; botName?: string } = {}): string {
  const bugs = doc.references.map(launchpadBug).filter((b) => b !== undefined);
  const others = doc.references.filter((r) => launchpadBug(r) === undefined);
  const permalink = options.docsUrl !== undefined ? `${options.docsUrl.replace(/\/?$/, '/')}${encodeURIComponent(doc.id)}` : `/rules/${encodeURIComponent(doc.id)}`;
  const main = html`<h1><code>${doc.id}</code></h1>
<p class="lead">${renderInlineMarkdown(doc.description)}</p>
<dl class="facts">
<dt>Default severity</dt><dd><span class="sev sev-${doc.severity}">${doc.severity}</span></dd>
<dt>Formats</dt><dd>${doc.kinds.length > 0 ? doc.kinds.map((k) => KIND_LABELS[k]).join(', ') : 'heartbeat-bot comments (an engine check)'}</dd>
<dt>Link</dt><dd><a href="${permalink}">${permalink}</a></dd>
</dl>
${
  bugs.length > 0
    ? html`<section aria-labelledby="bugs-h">
<h2 id="bugs-h">Launchpad bugs</h2>
<ul class="bugs">
${bugs.map(
  (b) => html`<li><a href="${b.url}">${b.project} bug ${b.number}</a>${b.title !== '' ? html`: ${b.verified ? html`“${b.title}”` : html`${b.title} <span class="muted">(summary; Launchpad title not verified)</span>`}` : ''}</li>\n`,
)}
</ul>
${others.length > 0 ? html`<p>Other references: ${others.map((r, i) => html`${i > 0 ? ', ' : ''}<a href="${r}">${r}</a>`)}</p>` : ''}
</section>`
    : ''
}
<article class="readme" aria-label="Rule documentation">
${doc.readme !== undefined ? trustedHtml(renderMarkdown(readmeBody(doc.readme))) : html`<h2>What to do</h2>\n<p>${renderInlineMarkdown(doc.fix ?? '')}</p>`}
</article>`;
  return layout({ title: doc.id, section: 'rules', main, ...(options.botName !== undefined ? { botName: options.botName } : {}) });
}

export function renderNotFound(what: string, botName?: string): string {
  const main = html`<h1>Not found</h1>
<p>${what}</p>
<p><a href="/rules">All rules</a> · <a href="/">Recent reviews</a></p>`;
  return layout({ title: 'Not found', section: 'none', main, ...(botName !== undefined ? { botName } : {}) });
}
