/**
 * Every GitHub call of a review goes through one `GitHubApi`: it counts the HTTP requests (retries included),
 * retries 5xx, network errors and rate limits with a bounded number of attempts, and in a dry run refuses to
 * send anything that writes.
 *
 * Waits: `retry-after` when GitHub sends it (secondary rate limits), else `x-ratelimit-reset` for an exhausted
 * primary limit, else exponential backoff from `baseDelayMs`, each capped at `maxDelayMs`; a primary limit that
 * resets later than that fails at once rather than holding a worker for an hour. Octokit's own retry plugin (in
 * Probot's Octokit) is told not to retry (`request.retries: 0`) so attempts do not multiply.
 *
 * GraphQL queries (`graphql()`) go through the same attempts: GitHub answers an exhausted GraphQL limit with 200
 * and `{"errors":[{"type":"RATE_LIMITED"}]}`, which is turned into the rate-limit error it stands for. A query
 * is a read, so a dry run sends it; a mutation it withholds.
 */
import type { GitHubLog, GitHubOctokit, GitHubResponse, RetryOptions } from './types.js';

const WRITE_METHODS = /^(POST|PATCH|PUT|DELETE)\s/i;

export class GitHubApiError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

/** What an Octokit RequestError (or a fetch failure) tells us. */
export interface ErrorFacts {
  status: number | undefined;
  headers: Record<string, string | number | undefined>;
  message: string;
}

export function errorFacts(error: unknown): ErrorFacts {
  const e = (error ?? {}) as { status?: unknown; response?: { headers?: unknown; data?: unknown }; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const headers = (e.response?.headers && typeof e.response.headers === 'object' ? e.response.headers : {}) as ErrorFacts['headers'];
  const data = e.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : typeof e.message === 'string' ? e.message : String(error);
  return { status, headers, message };
}

function header(headers: ErrorFacts['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return v === undefined ? undefined : String(v);
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number; reason: string };

/**
 * Whether and when to retry a failed attempt (1-based `attempt` that just failed). Pure, so the policy is
 * tested without HTTP.
 */
export function retryDecision(facts: ErrorFacts, attempt: number, options: Required<Omit<RetryOptions, 'sleep'>>, nowMs: number): RetryDecision {
  if (attempt >= options.maxAttempts) return { retry: false };
  const { status, headers, message } = facts;
  const backoff = Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
  const retryAfter = header(headers, 'retry-after');
  const remaining = header(headers, 'x-ratelimit-remaining');
  const reset = header(headers, 'x-ratelimit-reset');
  const rateLimited =
    status === 429 ||
    (status === 403 && (retryAfter !== undefined || remaining === '0' || /rate limit|abuse detection/i.test(message)));
  if (rateLimited) {
    if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) {
      const ms = Number(retryAfter) * 1000;
      return ms > options.maxDelayMs ? { retry: false } : { retry: true, delayMs: ms, reason: `rate limited (${status}), retry-after ${retryAfter}s` };
    }
    if (remaining === '0' && reset !== undefined && /^\d+$/.test(reset.trim())) {
      const ms = Math.max(0, Number(reset) * 1000 - nowMs) + 1000;
      return ms > options.maxDelayMs ? { retry: false } : { retry: true, delayMs: ms, reason: `primary rate limit (${status}), resets in ${Math.ceil(ms / 1000)}s` };
    }
    return { retry: true, delayMs: backoff, reason: `rate limited (${status})` };
  }
  if (status === undefined || status >= 500) {
    return { retry: true, delayMs: backoff, reason: status === undefined ? `network error: ${message}` : `server error ${status}` };
  }
  return { retry: false };
}

const DEFAULTS: Required<Omit<RetryOptions, 'sleep'>> = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** The `errors` of a GraphQL answer, as GitHub writes them. */
export interface GraphQLErrorEntry {
  type?: string;
  message?: string;
  path?: unknown[];
}

/** A GraphQL answer with `errors` (after retries, for rate limits). */
export class GitHubGraphQLError extends GitHubApiError {
  readonly errors: GraphQLErrorEntry[];
  constructor(errors: GraphQLErrorEntry[], status: number | undefined) {
    super(`GraphQL: ${errors.map((e) => `${e.type !== undefined ? `${e.type}: ` : ''}${e.message ?? 'error'}`).join('; ')}`, status);
    this.name = 'GitHubGraphQLError';
    this.errors = errors;
  }
}

const RATE_LIMIT_TYPES = new Set(['RATE_LIMITED', 'RATE_LIMIT']);

export class GitHubApi {
  /** HTTP requests made, retries included. */
  calls = 0;
  /** The same, by kind: REST endpoints and `POST /graphql`. */
  readonly callsByKind = { rest: 0, graphql: 0 };
  /** Writes a dry run did not send, in order. */
  readonly withheld: { route: string; params: Record<string, unknown> }[] = [];
  private readonly options: Required<Omit<RetryOptions, 'sleep'>>;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly octokit: GitHubOctokit,
    private readonly log: GitHubLog,
    private readonly dryRun = false,
    retry: RetryOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = {
      maxAttempts: retry.maxAttempts ?? DEFAULTS.maxAttempts,
      baseDelayMs: retry.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: retry.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
    this.sleep = retry.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One request with retries. Throws the last error (an Octokit RequestError) when it cannot succeed. */
  async request(route: string, params: Record<string, unknown> = {}): Promise<GitHubResponse> {
    if (this.dryRun && WRITE_METHODS.test(route)) {
      this.withheld.push({ route, params });
      return { data: {}, headers: {}, status: 0 };
    }
    return this.attempts(route, params, 'rest');
  }

  /**
   * One GraphQL document (`POST /graphql`), with the same retries as `request`. Returns `data`; throws a
   * GitHubGraphQLError when the answer has `errors` (GitHub's partial answers are not used), except errors that
   * `tolerate` accepts (a part of the query that may be missing, such as another repository's file).
   */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}, tolerate?: (error: GraphQLErrorEntry) => boolean): Promise<T> {
    if (/^\s*mutation\b/.test(query) && this.dryRun) {
      this.withheld.push({ route: 'POST /graphql', params: { query, variables } });
      return {} as T;
    }
    const response = await this.attempts('POST /graphql', { query, variables, ...this.graphqlBase() }, 'graphql');
    const body = (response.data ?? {}) as { data?: T; errors?: GraphQLErrorEntry[] };
    const errors = Array.isArray(body.errors) ? body.errors.filter((e) => tolerate === undefined || !tolerate(e)) : [];
    if (errors.length > 0) throw new GitHubGraphQLError(errors, response.status);
    return (body.data ?? {}) as T;
  }

  /** GitHub Enterprise serves GraphQL at `/api/graphql`, not under the REST base `/api/v3`. */
  private graphqlBase(): { baseUrl?: string } {
    const defaults = (this.octokit.request as { endpoint?: { DEFAULTS?: { baseUrl?: unknown } } }).endpoint?.DEFAULTS?.baseUrl;
    return typeof defaults === 'string' && /\/api\/v3\/?$/.test(defaults) ? { baseUrl: defaults.replace(/\/api\/v3\/?$/, '/api') } : {};
  }

  private async attempts(route: string, params: Record<string, unknown>, kind: 'rest' | 'graphql'): Promise<GitHubResponse> {
    const request = { ...((params.request as object | undefined) ?? {}), retries: 0 };
    for (let attempt = 1; ; attempt++) {
      this.calls++;
      this.callsByKind[kind]++;
      try {
        const response = await this.octokit.request(route, { ...params, request });
        if (kind === 'graphql') throwIfRateLimited(response);
        return response;
      } catch (caught) {
        // Octokit's throttling plugin throws GraphQL's 200 RATE_LIMITED itself, without a status.
        const error = kind === 'graphql' ? (rateLimitOf(caught) ?? caught) : caught;
        const facts = errorFacts(error);
        const decision = retryDecision(facts, attempt, this.options, this.now());
        if (!decision.retry) throw error;
        this.log.warn({ route, attempt, status: facts.status, delayMs: decision.delayMs }, `GitHub: ${decision.reason}; retrying`);
        await this.sleep(decision.delayMs);
      }
    }
  }

  /**
   * Every item of a paginated list (`per_page` 100), following `Link: rel="next"` (or, without a Link header,
   * until a short page), up to `maxItems`. `pick` takes the items out of a page's data (lists that come wrapped,
   * like check runs).
   */
  async paginate<T>(
    route: string,
    params: Record<string, unknown>,
    options: { maxItems?: number; pick?: (data: unknown) => unknown[] } = {},
  ): Promise<T[]> {
    const perPage = 100;
    const maxItems = options.maxItems ?? Infinity;
    const items: T[] = [];
    for (let page = 1; items.length < maxItems; page++) {
      const response = await this.request(route, { ...params, per_page: perPage, page });
      const pageItems = (options.pick ? options.pick(response.data) : (response.data as unknown[])) ?? [];
      items.push(...(pageItems as T[]));
      const link = response.headers.link;
      const hasNext = link !== undefined ? /rel="next"/.test(String(link)) : pageItems.length >= perPage;
      if (!hasNext || pageItems.length === 0) break;
    }
    return items.slice(0, maxItems);
  }
}

/**
 * GitHub's GraphQL rate limit comes as 200 with `errors[].type` RATE_LIMITED (RATE_LIMIT in newer answers) and the
 * `x-ratelimit-*` headers; thrown as the 403 a REST endpoint would answer, so retryDecision waits for the reset.
 */
function throwIfRateLimited(response: GitHubResponse): void {
  const error = rateLimitOf({ response });
  if (error !== undefined) throw error;
}

/** A GraphQL answer (or an error carrying one) that is a rate limit, as the 403 error REST would give. */
function rateLimitOf(value: unknown): Error | undefined {
  const response = (value as { response?: { data?: unknown; headers?: GitHubResponse['headers'] } } | undefined)?.response;
  const errors = (response?.data as { errors?: GraphQLErrorEntry[] } | undefined)?.errors;
  if (!Array.isArray(errors) || !errors.some((e) => RATE_LIMIT_TYPES.has(String(e.type)))) return undefined;
  const message = errors.map((e) => e.message ?? '').join('; ') || 'GraphQL rate limit exceeded';
  const headers = { 'x-ratelimit-remaining': '0', ...(response?.headers ?? {}) };
  return Object.assign(new Error(message), { status: 403, response: { headers, data: { message: `rate limit: ${message}` } } });
}
