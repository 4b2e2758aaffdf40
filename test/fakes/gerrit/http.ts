/**
 * The REST server of the fake: `/a/` + HTTP basic auth (401 "Unauthorized" otherwise), anonymous public reads
 * without `/a/`, the XSSI line `)]}'` before every JSON body, plain-text error bodies (Gerrit does not send JSON
 * errors), injected failures and delays, and a log of every request.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const XSSI = ")]}'\n";

export interface Reply {
  status: number;
  /** A JSON body (written after the XSSI line). */
  body?: unknown;
  /** A non-JSON body (base64 contents, patches, error texts): no XSSI line. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const json = (body: unknown, status = 200): Reply => ({ status, body });
export const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({ status, text: body, contentType: 'text/plain;charset=utf-8', ...(headers ? { headers } : {}) });
export const notFound = (what: string): Reply => text(404, `Not found: ${what}\n`);
export const badRequest = (message: string): Reply => text(400, `${message}\n`);

export interface Ctx {
  method: string;
  /** Path without the `/a` prefix and without the query. */
  path: string;
  /** Raw (still URL-encoded) path segments after the prefix. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The authenticated username, undefined for anonymous (non-`/a/`) requests. */
  user: string | undefined;
}

export interface Route {
  method: string;
  /** Matched against the raw segments; a `:name` segment captures one (decoded) segment, `*name` the rest. */
  pattern: string[];
  /** Anonymous access allowed (public reads without `/a/`). */
  anonymous: boolean;
  handler: (ctx: Ctx, params: Record<string, string>) => Reply | Promise<Reply>;
}

export function route(method: string, path: string, anonymous: boolean, handler: Route['handler']): Route {
  return { method, pattern: path.split('/').filter(Boolean), anonymous, handler };
}

export function match(route: Route, segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.pattern.length; i++) {
    const p = route.pattern[i] as string;
    if (p.startsWith('*')) {
      if (i >= segments.length) return undefined;
      params[p.slice(1)] = decodeURIComponent(segments.slice(i).join('/'));
      return params;
    }
    const s = segments[i];
    if (s === undefined) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(s);
    else if (p !== s) return undefined;
  }
  return segments.length === route.pattern.length ? params : undefined;
}

export interface LoggedRequest {
  method: string;
  /** The full path as sent, with `/a/` when present, without the query. */
  path: string;
  query: Record<string, string | string[]>;
  /** The parsed JSON request body (undefined when empty). */
  body: unknown;
  status: number;
  /** The authenticated username (undefined: anonymous or rejected). */
  user: string | undefined;
  at: number;
}

export interface FailureSpec {
  method?: string;
  /** A string is a substring of the path; a RegExp is tested against path + query. */
  path?: string | RegExp;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface ServerHooks {
  routes: () => Route[];
  credentials: () => Map<string, string>;
  failures: FailureSpec[];
  delayMs: () => number;
  log: (entry: LoggedRequest) => void;
  now: () => number;
}

function queryRecord(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function basicUser(header: string | undefined, credentials: Map<string, string>): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  return credentials.get(user) === decoded.slice(colon + 1) ? user : undefined;
}

function failureFor(hooks: ServerHooks, method: string, path: string, search: string): FailureSpec | undefined {
  const index = hooks.failures.findIndex(
    (f) =>
      (f.method === undefined || f.method.toUpperCase() === method) &&
      (f.path === undefined || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path + search))),
  );
  if (index < 0) return undefined;
  const failure = hooks.failures[index] as FailureSpec;
  const left = (failure.times ?? 1) - 1;
  if (left <= 0) hooks.failures.splice(index, 1);
  else failure.times = left;
  return failure;
}

const STATUS_TEXT: Record<number, string> = { 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

export async function handle(hooks: ServerHooks, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  let body: unknown;
  let bodyError = false;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      bodyError = true;
      body = raw;
    }
  }
  const authenticated = url.pathname === '/a' || url.pathname.startsWith('/a/');
  const user = authenticated ? basicUser(req.headers.authorization, hooks.credentials()) : undefined;
  const entry: LoggedRequest = { method, path: url.pathname, query: queryRecord(url.searchParams), body, status: 0, user, at: hooks.now() };

  const send = (reply: Reply): void => {
    entry.status = reply.status;
    hooks.log(entry);
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: string;
    if (reply.text !== undefined) {
      payload = reply.text;
      headers['content-type'] ??= reply.contentType ?? 'text/plain;charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = XSSI + JSON.stringify(reply.body, null, 2);
      headers['content-type'] = 'application/json; charset=utf-8';
    } else {
      payload = '';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  };

  const delay = hooks.delayMs();
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));

  const failure = failureFor(hooks, method, url.pathname, url.search);
  if (failure) {
    send(text(failure.status, failure.body ?? `${STATUS_TEXT[failure.status] ?? 'Error'}\n`, failure.headers));
    return;
  }
  if (authenticated && user === undefined) {
    send(text(401, 'Unauthorized', { 'www-authenticate': 'Basic realm="Gerrit Code Review"' }));
    return;
  }
  // Gerrit's RestApiServlet reads a body only as JSON: anything else is refused.
  const contentType = String(req.headers['content-type'] ?? '');
  if (raw.trim() !== '' && (method === 'POST' || method === 'PUT') && !/^application\/json\b/i.test(contentType)) {
    send(badRequest('Expected Content-Type: application/json'));
    return;
  }
  if (bodyError) {
    send(badRequest('Invalid JSON in request'));
    return;
  }
  const segments = (authenticated ? url.pathname.slice(2) : url.pathname).split('/').slice(1);
  // A trailing slash (`/files/`, `/changes/`) is the collection itself.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const ctx: Ctx = { method, path: `/${segments.join('/')}`, segments, query: url.searchParams, body, headers: req.headers, user };
  let pathMatched = false;
  for (const r of hooks.routes()) {
    const params = match(r, segments);
    if (!params) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    if (!authenticated && !r.anonymous) {
      send(text(403, 'Authentication required\n'));
      return;
    }
    try {
      send(await r.handler(ctx, params));
    } catch (e) {
      send(text(500, `Internal server error: ${(e as Error).message}\n`));
    }
    return;
  }
  send(pathMatched ? text(405, 'Method Not Allowed\n') : notFound(url.pathname));
}
