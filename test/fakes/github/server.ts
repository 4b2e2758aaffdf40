/**
 * The HTTP side of the fake: reads a request, logs it, applies injected delays and failures, authenticates it as
 * GitHub would, applies primary and secondary rate limits, runs the route and writes a GitHub-shaped answer with
 * `X-GitHub-Request-Id` and `X-RateLimit-*` headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { TokenInfo } from './auth.js';
import { looksLikeJwt, parseAuthorization, verifyAppJwt } from './auth.js';
import type { Core, Ctx, Identity, Reply, Route } from './http.js';
import { error } from './http.js';
import { LIMITS } from './limits.js';
import { isMutation, operationName } from './routes-graphql.js';

export interface RequestMatch {
  method?: string;
  /** A string matches paths containing it; a RegExp is tested against the path (without query). */
  path?: string | RegExp;
  /** A GraphQL request (`POST /graphql`) whose operation has this name (`query HeartbeatPullRequest ...`). */
  operation?: string;
}

export interface FailureSpec extends RequestMatch {
  /** Shortcuts for GitHub's own failure answers; `status`/`headers`/`body` override their parts. */
  preset?: 'secondary-rate-limit' | 'primary-rate-limit' | 'graphql-rate-limit' | 'server-error' | 'too-many-requests' | 'bad-gateway';
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface DelaySpec extends RequestMatch {
  ms: number;
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; `authorization` reduced to its scheme (`token [redacted]`). */
  headers: Record<string, string>;
  body: unknown;
  status: number;
  /** True when a `failNext` rule answered instead of the route. */
  injected: boolean;
  /** The identity the request was authenticated as, when it was. */
  auth: Identity['kind'];
  /** For `POST /graphql`: the operation's name. */
  operation?: string;
}

export interface ServerOptions {
  rateLimit: number;
  contentRateLimit: { perMinute: number; perHour: number } | false;
}

export interface ServerInternals {
  core: Core;
  publicKey: KeyObject;
  routes: Route[];
  options: ServerOptions;
  requests: LoggedRequest[];
  failures: Array<FailureSpec & { remaining: number }>;
  delays: Array<DelaySpec & { remaining: number }>;
  /** Rate-limit buckets by credential. */
  buckets: Map<string, { used: number; reset: number }>;
  /** Times (ms) of content-creating requests by credential. */
  writes: Map<string, number[]>;
}

function matches(m: RequestMatch, method: string, path: string, operation?: string): boolean {
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.operation !== undefined && m.operation !== operation) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? path.includes(m.path) : m.path.test(path);
}

function presetReply(spec: FailureSpec, nowSeconds: number): Reply {
  const base: Reply = (() => {
    switch (spec.preset) {
      case 'secondary-rate-limit':
        return {
          ...error(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.', {}, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'),
          headers: { 'retry-after': '1' },
        };
      case 'primary-rate-limit':
        return {
          ...error(403, 'API rate limit exceeded for installation ID 1.', {}, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'),
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 1), 'x-ratelimit-used': String(LIMITS.primaryRateLimit) },
        };
      case 'graphql-rate-limit':
        // GraphQL answers an exhausted limit with 200 and an error of type RATE_LIMITED.
        return {
          status: 200,
          body: { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation ID 1.' }] },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 1), 'x-ratelimit-resource': 'graphql' },
        };
      case 'too-many-requests':
        return { ...error(429, 'Too Many Requests'), headers: { 'retry-after': '1' } };
      case 'bad-gateway':
        return { status: 502, raw: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };
      case 'server-error':
        return error(500, 'Server Error');
      default:
        return error(spec.status ?? 500, 'Server Error');
    }
  })();
  return {
    ...base,
    status: spec.status ?? base.status,
    ...(spec.body !== undefined ? { body: spec.body, raw: undefined } : {}),
    headers: { ...base.headers, ...spec.headers },
  };
}

function redact(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  if (out.authorization) out.authorization = `${out.authorization.split(/\s+/)[0] ?? ''} [redacted]`;
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function authenticate(s: ServerInternals, header: string | undefined, nowSeconds: number): Identity | { fail: Reply; jwt: boolean } {
  const auth = parseAuthorization(header);
  if (!auth) return { kind: 'anonymous' };
  if (looksLikeJwt(auth.credential) && auth.scheme === 'bearer') {
    const result = verifyAppJwt(auth.credential, s.core.appId, s.publicKey, nowSeconds);
    if (!result.ok) return { fail: error(401, result.message), jwt: true };
    return { kind: 'app', appId: result.appId };
  }
  if (auth.scheme !== 'token' && auth.scheme !== 'bearer') return { kind: 'anonymous' };
  const token: TokenInfo | undefined = s.core.tokens.get(auth.credential);
  if (!token || (token.expiresAt !== undefined && token.expiresAt <= Date.now())) return { fail: error(401, 'Bad credentials'), jwt: false };
  return { kind: token.kind, token };
}

export async function handle(s: ServerInternals, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://fake');
  // GitHub Enterprise-style `/api/v3` prefixes are accepted too.
  // GitHub Enterprise-style `/api/v3` prefixes are accepted too, and its GraphQL endpoint `/api/graphql`.
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/^\/api\/graphql$/, '/graphql').replace(/\/+$/, '') || '/';
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const raw = await readBody(req);
  const nowSeconds = Math.floor(Date.now() / 1000);
  let body: unknown = undefined;
  let parseError = false;
  if (raw.trim() !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      parseError = true;
      body = raw;
    }
  }
  const operation = path === '/graphql' ? operationName(body) : undefined;
  const entry: LoggedRequest = { method, path, query, headers: redact(req.headers), body, status: 0, injected: false, auth: 'anonymous', ...(operation !== undefined ? { operation } : {}) };
  s.requests.push(entry);

  const delay = s.delays.find((d) => d.remaining > 0 && matches(d, method, path, operation));
  if (delay) {
    delay.remaining--;
    await sleep(delay.ms);
  }

  let reply: Reply;
  let bucketKey = `ip:${req.socket.remoteAddress ?? ''}`;
  const failure = s.failures.find((f) => f.remaining > 0 && matches(f, method, path, operation));
  if (failure) {
    failure.remaining--;
    entry.injected = true;
    reply = presetReply(failure, nowSeconds);
  } else if (parseError) {
    reply = error(400, 'Problems parsing JSON');
  } else {
    reply = await dispatch(s, method, path, query, req, body, entry, nowSeconds, (key) => (bucketKey = key));
  }

  entry.status = reply.status;
  const bucket = s.buckets.get(bucketKey) ?? { used: 0, reset: nowSeconds + 3600 };
  const headers: Record<string, string> = {
    'x-github-request-id': `${randomBytes(2).toString('hex').toUpperCase()}:${randomBytes(3).toString('hex').toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`,
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': String(s.options.rateLimit),
    'x-ratelimit-remaining': String(Math.max(s.options.rateLimit - bucket.used, 0)),
    'x-ratelimit-used': String(bucket.used),
    'x-ratelimit-reset': String(bucket.reset),
    'x-ratelimit-resource': path === '/graphql' ? 'graphql' : 'core',
    'access-control-expose-headers': 'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset',
    ...reply.headers,
  };
  if (reply.status === 204 || reply.status === 304) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, { ...headers, 'content-type': reply.contentType ?? 'text/plain; charset=utf-8' });
    res.end(reply.raw);
    return;
  }
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(reply.body ?? {}));
}

async function dispatch(
  s: ServerInternals,
  method: string,
  path: string,
  query: Record<string, string>,
  req: IncomingMessage,
  body: unknown,
  entry: LoggedRequest,
  nowSeconds: number,
  setBucket: (key: string) => void,
): Promise<Reply> {
  let found: { route: Route; params: Record<string, string> } | undefined;
  for (const r of s.routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = k === 'path' ? v : decodeURIComponent(v);
    found = { route: r, params };
    break;
  }
  if (!found) return error(404, 'Not Found');
  const { route, params } = found;

  const identity = authenticate(s, req.headers.authorization, nowSeconds);
  if ('fail' in identity) {
    // An invalid JWT on an app route says why; on other routes any bad credential is "Bad credentials".
    return route.auth === 'app' || !identity.jwt ? identity.fail : error(401, 'Bad credentials');
  }
  entry.auth = identity.kind;
  const graphql = path === '/graphql';
  if (graphql && (identity.kind === 'anonymous' || identity.kind === 'app')) {
    return error(401, 'This endpoint requires you to be authenticated.', {}, 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql');
  }
  if (route.auth === 'app') {
    if (identity.kind !== 'app') {
      return error(401, identity.kind === 'anonymous' ? 'A JSON web token could not be decoded' : 'A JSON web token could not be decoded');
    }
  } else {
    if (identity.kind === 'anonymous' || identity.kind === 'app') return error(401, 'Bad credentials', {}, route.docs);
    if (route.auth === 'repo') {
      const full = `${params.owner}/${params.repo}`.toLowerCase();
      const t = identity.token;
      if (t.repositories && !t.repositories.includes(full) && !t.repositories.includes(String(params.repo).toLowerCase())) return error(404, 'Not Found');
      if (t.installationId !== undefined) {
        const inst = s.core.installations.get(t.installationId);
        if (!inst) return error(401, 'Bad credentials');
        if (inst.account && inst.account.toLowerCase() !== String(params.owner).toLowerCase()) return error(404, 'Not Found');
        if (inst.repositorySelection === 'selected' && !(inst.repositories ?? []).includes(full)) return error(404, 'Not Found');
      }
    }
  }

  // Primary rate limit, per credential (GraphQL has a bucket of its own, as on GitHub).
  const key = (identity.kind === 'app' ? `app:${identity.appId}` : `token:${identity.token.token}`) + (graphql ? ':graphql' : '');
  setBucket(key);
  let bucket = s.buckets.get(key);
  if (!bucket || bucket.reset <= nowSeconds) {
    bucket = { used: 0, reset: nowSeconds + 3600 };
    s.buckets.set(key, bucket);
  }
  if (bucket.used >= s.options.rateLimit && graphql) {
    const who = identity.kind === 'installation' ? `installation ID ${identity.token.installationId}` : 'user ID 1';
    return { status: 200, body: { errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for ${who}.` }] }, headers: { 'x-ratelimit-resource': 'graphql' } };
  }
  if (bucket.used >= s.options.rateLimit) {
    const who = identity.kind === 'installation' ? `installation ID ${identity.token.installationId}` : 'user ID 1';
    return error(403, `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID.`, {}, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api');
  }
  bucket.used++;

  // Secondary rate limit on content-creating requests.
  // A GraphQL query reads; only a mutation creates content.
  const writing = method !== 'GET' && method !== 'HEAD' && route.auth !== 'app' && (!graphql || isMutation(body));
  if (writing && s.options.contentRateLimit) {
    const now = Date.now();
    const times = (s.writes.get(key) ?? []).filter((t) => t > now - 3_600_000);
    const lastMinute = times.filter((t) => t > now - 60_000);
    const { perMinute, perHour } = s.options.contentRateLimit;
    if (lastMinute.length >= perMinute || times.length >= perHour) {
      const oldest = lastMinute.length >= perMinute ? (lastMinute[0] ?? now) + 60_000 : (times[0] ?? now) + 3_600_000;
      return {
        ...error(403, 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID.', {}, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'),
        headers: { 'retry-after': String(Math.max(Math.ceil((oldest - now) / 1000), 1)) },
      };
    }
    times.push(now);
    s.writes.set(key, times);
  }

  const ctx: Ctx = { core: s.core, method, path, query, headers: req.headers, body, identity, params };
  try {
    return await route.handler(ctx);
  } catch (e) {
    return error(500, `Fake GitHub failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}
