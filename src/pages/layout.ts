/**
 * The frame of every page: `lang`, one h1 (the page's), a skip link, the site navigation and the main landmark,
 * the stylesheet from /assets/ and no inline script or style (the Content-Security-Policy forbids both).
 */
import { html, type SafeHtml } from './html.js';

export type Section = 'reviews' | 'rules' | 'none';

export interface PageInput {
  title: string;
  section: Section;
  /** The page's content, starting with its h1. */
  main: SafeHtml;
  /** Extra elements in head (a noscript refresh). */
  head?: SafeHtml;
  /** Same-origin scripts (`/assets/...`), deferred. */
  scripts?: string[];
  botName?: string;
}

export function layout(input: PageInput): string {
  const bot = input.botName ?? 'heartbeat-bot';
  const current = (s: Section) => (input.section === s ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · ${bot}</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
${input.head}
${(input.scripts ?? []).map((src) => html`<script src="${src}" defer></script>\n`)}
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site">
<a class="brand" href="/">${bot}</a>
<nav aria-label="Site">
<ul>
<li><a href="/"${current('reviews')}>Recent reviews</a></li>
<li><a href="/rules"${current('rules')}>Rules</a></li>
</ul>
</nav>
</header>
<main id="content">
${input.main}
</main>
<footer class="site">
<p>${bot} reviews OpenStack deployment changes for WSGI threads, AMQP heartbeats and Apache MPM settings that break oslo.messaging.</p>
</footer>
</body>
</html>
`.value;
}
