/**
 * Rule READMEs as HTML: markdown-it with raw HTML off (a `<script>` in a README is shown as text), only http(s),
 * mailto and relative links, and fenced code highlighted on the server by highlight.js (its escaped output, no
 * client-side code), so the pages need no CDN and no inline script.
 */
import MarkdownIt from 'markdown-it';
import { trustedHtml, type SafeHtml } from './html.js';
import hljs from 'highlight.js/lib/core';
import apache from 'highlight.js/lib/languages/apache';
import bash from 'highlight.js/lib/languages/bash';
import erb from 'highlight.js/lib/languages/erb';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';
import puppet from 'highlight.js/lib/languages/puppet';
import python from 'highlight.js/lib/languages/python';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

hljs.registerLanguage('apache', apache);
hljs.registerLanguage('bash', bash);
hljs.registerLanguage('erb', erb);
hljs.registerLanguage('ini', ini);
hljs.registerLanguage('json', json);
hljs.registerLanguage('puppet', puppet);
hljs.registerLanguage('python', python);
hljs.registerLanguage('xml', xml);
hljs.registerLanguage('yaml', yaml);

/** Fence names the READMEs use that highlight.js knows by another name. */
const ALIASES: Readonly<Record<string, string>> = { pp: 'puppet', yml: 'yaml', sh: 'bash', shell: 'bash', conf: 'apache', httpd: 'apache', cfg: 'ini', uwsgi: 'ini', py: 'python', jinja: 'xml', html: 'xml' };

const md: MarkdownIt = new MarkdownIt({
  html: false,
  linkify: true,
  typographer: false,
  highlight(code: string, lang: string): string {
    const name = ALIASES[lang.toLowerCase()] ?? lang.toLowerCase();
    const language = hljs.getLanguage(name) !== undefined ? name : undefined;
    const body = language !== undefined ? hljs.highlight(code, { language, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
    return `<pre class="hljs"><code${language !== undefined ? ` class="language-${language}"` : ''}>${body}</code></pre>`;
  },
});

// Header cells of a README's tables get scope="col", so screen readers relate data cells to them.
md.renderer.rules.th_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('scope', 'col');
  return self.renderToken(tokens, idx, options);
};

/**
 * Links between the repository's documents, as the READMEs write them for a source checkout, become the service's
 * own pages: `../<rule-id>/README.md` -> `/rules/<rule-id>`, `../README.md` -> `/rules`, the lab's results -> `/lab`.
 */
export function pageLink(url: string): string {
  const m = /^(?:\.\.\/\.\.\/lab\/RESULTS\.md|\.\.\/([a-z0-9][a-z0-9-]*)\/README\.md|\.\.\/README\.md)(#.*)?$/.exec(url);
  if (m === null) return url;
  const anchor = m[2] ?? '';
  if (url.startsWith('../../lab/')) return `/lab${anchor}`;
  return m[1] !== undefined ? `/rules/${m[1]}${anchor}` : `/rules${anchor}`;
}
const normalizeLink = md.normalizeLink.bind(md);
md.normalizeLink = (url: string): string => normalizeLink(pageLink(url));

const SAFE_LINK = /^(https?:|mailto:|#|\/|\.{0,2}\/|[a-z0-9._-]+(\/|$|#))/i;
md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim()) && !/^(javascript|data|vbscript):/i.test(url.trim());

/** The README's HTML (to be wrapped with trustedHtml: markdown-it escapes all text and raw HTML). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** One line of Markdown (a rule's description: `code`, emphasis) as inline HTML, escaped like the rest. */
export function renderInlineMarkdown(text: string): SafeHtml {
  return trustedHtml(md.renderInline(text));
}
