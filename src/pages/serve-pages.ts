/**
 * The pages' HTTP handler (CONTRACTS.md §3 `GET /`, `/rules`, `/rules/<id>`, plus `/reviews/<id>`,
 * `/reviews.json`, `/lab` (the evidence the rule pages cite) and `/assets/…`). Every answer carries a Content-Security-Policy that allows only the service's
 * own origin (no inline script or style, no third-party anything) and `X-Content-Type-Options: nosniff`. Bad input
 * (an unknown id, a malformed path) is a 404 page; a failing history store is a 500 page; neither throws.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rule } from '../model/rule.js';
import { isReviewId, type ReviewHistory } from '../service/review-history.js';
import { ASSETS } from './assets.js';
import { recentReviewsJson, renderRecentReviews, type ServiceStatus } from './recent-reviews.js';
import { readLabResults, renderLabPage } from './lab-page.js';
import { renderReviewDetail } from './review-detail.js';
import { loadRuleDocs, type RuleDoc } from './rule-docs.js';
import { renderNotFound, renderRulePage } from './rule-page.js';
import { renderRulesCatalogue } from './rules-catalogue.js';
import type { Severity } from '../model/finding.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export interface PagesDeps {
  history: ReviewHistory;
  status(): Promise<ServiceStatus>;
  /** The rules the pages document (default: the engine's loadRules, the rules the reviews run). */
  rules?: () => Promise<readonly Rule[]>;
  botName: string;
  /** How often the recent-reviews page polls (default 5 s). */
  refreshMs?: number;
  /** Reviews shown on `/` (default 50). */
  recentLimit?: number;
  /** Absolute base of the rule pages (PUBLIC_URL + /rules/), shown as each rule's permanent link. */
  docsUrl?: string;
  log?: { error(o: object, m?: string): void };
}

const RULE_PATH = /^\/rules\/([a-z0-9][a-z0-9-]{0,99})$/;
const REVIEW_PATH = /^\/reviews\/([^/]+)$/;

/** Whether `path` is one of the pages' (the caller then lets `handle` answer). */
export function isPagePath(path: string): boolean {
  return path === '/' || path === '/rules' || path === '/lab' || path === '/reviews.json' || path.startsWith('/rules/') || path.startsWith('/reviews/') || path in ASSETS;
}

export class Pages {
  readonly #deps: PagesDeps;
  #docs: Promise<RuleDoc[]> | undefined;

  constructor(deps: PagesDeps) {
    this.#deps = deps;
  }

  #ruleDocs(): Promise<RuleDoc[]> {
    this.#docs ??= (async () => {
      const rules = await (this.#deps.rules?.() ?? import('../engine/load-rules.js').then((m) => m.loadRules()));
      return loadRuleDocs(rules);
    })();
    // A failed load is not cached: the next request tries again.
    this.#docs.catch(() => {
      this.#docs = undefined;
    });
    return this.#docs;
  }

  /** Answers a request for one of the pages (isPagePath). */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET only\n');
      return;
    }
    this.#answer(req, res, path, query).catch((error: unknown) => {
      this.#deps.log?.error({ err: error, path }, 'pages: a page failed');
      if (!res.headersSent) this.#send(req, res, 500, 'text/html; charset=utf-8', renderNotFound('The page could not be built; the error is in the service log.', this.#deps.botName));
    });
  }

  async #answer(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const bot = this.#deps.botName;
    const asset = ASSETS[path];
    if (asset !== undefined) return this.#send(req, res, 200, asset.contentType, asset.body, 'public, max-age=300');
    if (path === '/') {
      const [reviews, status] = await Promise.all([this.#deps.history.recent(this.#deps.recentLimit ?? 50), this.#deps.status()]);
      return this.#send(req, res, 200, 'text/html; charset=utf-8', renderRecentReviews(reviews, status, { botName: bot, ...(this.#deps.refreshMs !== undefined ? { refreshMs: this.#deps.refreshMs } : {}) }));
    }
    if (path === '/reviews.json') {
      const [reviews, status] = await Promise.all([this.#deps.history.recent(this.#deps.recentLimit ?? 50), this.#deps.status()]);
      return this.#send(req, res, 200, 'application/json', `${JSON.stringify(recentReviewsJson(reviews, status))}\n`);
    }
    const review = REVIEW_PATH.exec(path);
    if (review !== null) {
      const id = review[1]!;
      const record = isReviewId(id) ? await this.#deps.history.get(id) : undefined;
      if (record === undefined) return this.#send(req, res, 404, 'text/html; charset=utf-8', renderNotFound('No such review: it never existed, or it is older than the history keeps.', bot));
      return this.#send(req, res, 200, 'text/html; charset=utf-8', renderReviewDetail(record, { botName: bot }));
    }
    if (path === '/lab') {
      const results = await readLabResults();
      if (results === undefined) return this.#send(req, res, 404, 'text/html; charset=utf-8', renderNotFound('This installation has no evidence lab results (lab/RESULTS.md).', bot));
      return this.#send(req, res, 200, 'text/html; charset=utf-8', renderLabPage(results, bot));
    }
    if (path === '/rules') {
      const docs = await this.#ruleDocs();
      const severity = query.get('severity') ?? '';
      return this.#send(req, res, 200, 'text/html; charset=utf-8', renderRulesCatalogue(docs, { q: (query.get('q') ?? '').slice(0, 200), severity: severity as Severity | '' }, bot));
    }
    const rule = RULE_PATH.exec(path);
    const doc = rule !== null ? (await this.#ruleDocs()).find((d) => d.id === rule[1]) : undefined;
    if (doc === undefined) return this.#send(req, res, 404, 'text/html; charset=utf-8', renderNotFound('No rule has this id. The catalogue lists them all.', bot));
    return this.#send(req, res, 200, 'text/html; charset=utf-8', renderRulePage(doc, { botName: bot, ...(this.#deps.docsUrl !== undefined ? { docsUrl: this.#deps.docsUrl } : {}) }));
  }

  #send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string, cache = 'no-store'): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'cache-control': cache, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
