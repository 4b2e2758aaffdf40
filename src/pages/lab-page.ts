/**
 * `/lab`: the evidence lab's results (lab/RESULTS.md, written by `npm run lab`), which every core rule's page links
 * as its evidence. Read from the package on each request (a few kB); absent (a package without the lab), a 404.
 */
import { readFile } from 'node:fs/promises';
import { trustedHtml, html } from './html.js';
import { layout } from './layout.js';
import { renderMarkdown } from './markdown.js';

/** lab/RESULTS.md: dist/src/pages/ is three levels below the package root. */
export const LAB_RESULTS = new URL('../../../lab/RESULTS.md', import.meta.url);

export async function readLabResults(file: URL = LAB_RESULTS): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function renderLabPage(markdown: string, botName?: string): string {
  const main = html`<article class="readme" aria-label="Evidence lab results">
${trustedHtml(renderMarkdown(markdown))}
</article>
<p><a href="/rules">All rules</a> · <a href="/">Recent reviews</a></p>`;
  return layout({ title: 'Evidence lab', section: 'rules', main, ...(botName !== undefined ? { botName } : {}) });
}
