/**
 * The Gerrit REST client every Gerrit call goes through (platforms.md §2.1):
 *
 * - `/a/` + basic auth when GERRIT_USER and GERRIT_PASSWORD are set (anonymous reads otherwise);
 * - the `)]}'` XSSI line stripped before JSON parsing; file contents decoded from base64;
 * - change ids as URL-encoded `<project>~<number>` (changeId());
 * - a timeout per request (AbortSignal.timeout), retries with exponential backoff and jitter on 5xx, 409, 429
 *   (Retry-After honoured), network errors and timeouts, a bounded number of times; any other 4xx fails at once
 *   with a GerritApiError that says what to do (401: the credentials);
 * - `GET /config/server/version` once, for feature detection (fix_suggestions need 3.10);
 * - every HTTP request counted in `apiCalls`, retries included.
 */
import type { GerritConfig, GerritLog } from './types.js';

export class GerritApiError extends Error {
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;
  constructor(message: string, method: string, path: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GerritApiError';
    this.status = status;
    this.method = method;
    this.path = path;
  }
}

export interface GerritClientDeps {
  fetch?: typeof fetch;
  log: GerritLog;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) for the jitter; default Math.random. */
  random?: () => number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 15_000 };
const DEFAULT_TIMEOUT_MS = 30_000;
const XSSI = ")]}'";

/** `<project>~<number>`, URL-encoded (`openstack%2Fnova~12345`). */
export function changeId(project: string, change: number): string {
  return `${encodeURIComponent(project)}~${change}`;
}

/** Status codes worth another attempt: server errors, conflicts (a concurrent update), rate limits. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 409 || status === 429 || status === 408;
}

/**
 * The wait before attempt `attempt + 1`: base·2^(attempt-1) capped at maxDelayMs, with "equal jitter" (half fixed,
 * half random) so a burst of workers does not retry in step. A Retry-After in seconds wins when it is shorter than
 * the cap. Pure, for the tests.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfter?: string | null): number {
  if (retryAfter !== undefined && retryAfter !== null && /^\s*\d+\s*$/.test(retryAfter)) {
    const ms = Number(retryAfter) * 1000;
    if (ms <= policy.maxDelayMs) return ms;
  }
  const exp = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** `3.10.1-123-gabc`, `3.9.2` -> [3, 10, 1]; unparseable -> undefined. */
export function parseVersion(version: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (m === null) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Whether `version` is at least `major.minor`. */
export function versionAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const v = version === undefined ? undefined : parseVersion(version);
  if (v === undefined) return false;
  return v[0]! > major || (v[0] === major && v[1]! >= minor);
}

/** Strips Gerrit's XSSI guard line and parses the rest; an empty body is `undefined`. */
export function parseGerritJson(text: string): unknown {
  let body = text;
  if (body.startsWith(XSSI)) body = body.slice(XSSI.length);
  body = body.replace(/^\r?\n/, '');
  if (body.trim() === '') return undefined;
  return JSON.parse(body);
}

export interface ServerFeatures {
  version: string | undefined;
  /** `fix_suggestions` on comments are sent. */
  fixSuggestions: boolean;
}

export class GerritClient {
  /** HTTP requests made, retries included. */
  apiCalls = 0;
  readonly base: string;
  private readonly auth: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private version: Promise<string> | undefined;

  constructor(
    readonly config: GerritConfig,
    private readonly deps: GerritClientDeps,
  ) {
    this.base = config.url.replace(/\/+$/, '');
    this.auth =
      config.user !== undefined && config.user !== '' && config.password !== undefined && config.password !== ''
        ? `Basic ${Buffer.from(`${config.user}:${config.password}`, 'utf8').toString('base64')}`
        : undefined;
    this.fetchImpl = deps.fetch ?? fetch;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = deps.random ?? Math.random;
    this.policy = { ...DEFAULT_RETRY, ...(config.retry ?? {}) };
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Whether requests go under `/a/` with credentials. */
  get authenticated(): boolean {
    return this.auth !== undefined;
  }

  /** The full URL of a REST path (`/changes/...`). */
  url(path: string): string {
    const p = path.startsWith('/') ? path : `/${path}`;
    return `${this.base}${this.auth !== undefined ? '/a' : ''}${p}`;
  }

  async get<T>(path: string): Promise<T> {
    return (await this.json('GET', path)) as T;
  }

  /**
   * A POST. `landed`, when given, tells whether an attempt whose answer was lost (timeout, network error, 5xx)
   * took effect anyway; it is asked before each retry, so a request that is not idempotent (a review) is not
   * applied twice.
   */
  async post<T>(path: string, body: unknown, options: { landed?: () => Promise<boolean> } = {}): Promise<T> {
    return (await this.json('POST', path, body, options.landed)) as T;
  }

  /**
   * The content of `path` at revision `rev` of a change (`parent` = 1 for the parent commit's side), as bytes;
   * `undefined` when Gerrit has no such file there (404).
   */
  async contentBytes(id: string, rev: string, path: string, parent?: number): Promise<Buffer | undefined> {
    return this.rawBase64(`/changes/${id}/revisions/${encodeURIComponent(rev)}/files/${encodeURIComponent(path)}/content${parent !== undefined ? `?parent=${parent}` : ''}`);
  }

  /** A GET whose body is base64 (file contents, patches), decoded; `undefined` on 404. */
  async rawBase64(path: string): Promise<Buffer | undefined> {
    const response = await this.request('GET', path, undefined, 'text/plain', true);
    if (response === undefined) return undefined;
    const text = await response.text();
    return Buffer.from(text.replace(/\s+/g, ''), 'base64');
  }

  /** As contentBytes, decoded as UTF-8. */
  async content(id: string, rev: string, path: string, parent?: number): Promise<string | undefined> {
    const bytes = await this.contentBytes(id, rev, path, parent);
    return bytes?.toString('utf8');
  }

  /** `GET /config/server/version`, asked once; a server that will not say is version 'unknown'. */
  serverVersion(): Promise<string> {
    this.version ??= this.get<unknown>('/config/server/version').then(
      (v) => (typeof v === 'string' ? v : 'unknown'),
      (error: unknown) => {
        this.deps.log.warn({ error: error instanceof Error ? error.message : String(error) }, 'Gerrit: server version unknown');
        this.version = undefined;
        return 'unknown';
      },
    );
    return this.version;
  }

  /** What this server supports, from its version and the configuration. */
  async features(): Promise<ServerFeatures> {
    if (this.config.fixSuggestions !== true) return { version: undefined, fixSuggestions: false };
    const version = await this.serverVersion();
    return { version, fixSuggestions: versionAtLeast(version, 3, 10) };
  }

  private async json(method: string, path: string, body?: unknown, landed?: () => Promise<boolean>): Promise<unknown> {
    const response = await this.request(method, path, body, 'application/json', false, landed);
    const text = await response!.text();
    try {
      return parseGerritJson(text);
    } catch (error) {
      throw new GerritApiError(`Gerrit sent invalid JSON for ${method} ${path}: ${(error as Error).message}`, method, path, response!.status, { cause: error });
    }
  }

  /** One request with retries; `undefined` on 404 when `allow404`. Throws GerritApiError otherwise. */
  private async request(
    method: string,
    path: string,
    body: unknown,
    accept: string,
    allow404: boolean,
    landed?: () => Promise<boolean>,
  ): Promise<Response | undefined> {
    const url = this.url(path);
    const headers: Record<string, string> = { Accept: accept };
    if (this.auth !== undefined) headers.Authorization = this.auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json; charset=UTF-8';
    for (let attempt = 1; ; attempt++) {
      this.apiCalls++;
      let status: number | undefined;
      let reason: string;
      let retryAfter: string | null = null;
      try {
        const response = await this.fetchImpl(url, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        if (response.ok) return response;
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        const text = (await response.text().catch(() => '')).trim().slice(0, 500);
        if (status === 404 && allow404) return undefined;
        reason = `${status}${text !== '' ? ` ${text}` : ''}`;
        if (!isRetryableStatus(status)) throw this.clientError(method, path, status, text);
      } catch (error) {
        if (error instanceof GerritApiError) throw error;
        const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
        reason = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${this.timeoutMs} ms` : `network error: ${e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)}`;
      }
      if (attempt >= this.policy.maxAttempts) {
        throw new GerritApiError(`Gerrit ${method} ${path} failed after ${attempt} attempts: ${reason}`, method, path, status);
      }
      const delayMs = backoffDelay(attempt, this.policy, this.random, retryAfter);
      this.deps.log.warn({ method, path, attempt, status, delayMs }, `Gerrit: ${reason}; retrying`);
      await this.sleep(delayMs);
      if (landed !== undefined && (await landed().catch(() => false))) {
        this.deps.log.warn({ method, path, attempt }, 'Gerrit: the lost attempt took effect; not sending it again');
        return new Response(`)]}'\n{}`, { status: 200, headers: { 'Content-Type': 'application/json' } });
      }
    }
  }

  private clientError(method: string, path: string, status: number, text: string): GerritApiError {
    const what = `Gerrit ${method} ${path}`;
    if (status === 401) {
      const hint = this.auth !== undefined
        ? `the credentials of ${this.config.user} were refused: check GERRIT_USER and GERRIT_PASSWORD (the HTTP password or access token from the account's settings, not the login password)`
        : 'this Gerrit requires authentication: set GERRIT_USER and GERRIT_PASSWORD (HTTP password or access token)';
      return new GerritApiError(`${what}: 401 Unauthorized: ${hint}`, method, path, status);
    }
    if (status === 403) return new GerritApiError(`${what}: 403 Forbidden${text !== '' ? ` (${text})` : ''}: the account ${this.config.user ?? '(anonymous)'} lacks the permission`, method, path, status);
    if (status === 404) return new GerritApiError(`${what}: 404 Not Found${text !== '' ? ` (${text})` : ''}: no such change or revision, or not visible to ${this.config.user ?? 'anonymous users'}`, method, path, status);
    return new GerritApiError(`${what}: ${status}${text !== '' ? ` ${text}` : ''}`, method, path, status);
  }
}
