/**
 * GitHub's advice to integrations, to stay clear of secondary rate limits: at least a second between mutating
 * requests (POST, PATCH, PUT, DELETE) of one client, and requests of one client in series rather than in bursts.
 * This Octokit plugin spaces the mutating requests of each credential (an App installation, or a token) by
 * `writeSpacingMs` and lets reads through at once. GraphQL queries (POST /graphql without a mutation) are reads.
 *
 * Why not @octokit/plugin-throttling, which Probot enables: it schedules every request through two or three
 * Bottleneck limiters, and each costs ~4.5 ms of timers even when nothing waits (measured: 20 scheduled no-op jobs,
 * 4.5 ms each) — ~45 ms of a review's ~75 ms own time for its four requests. Rate-limit answers (403/429 with
 * retry-after or an exhausted x-ratelimit-remaining) are retried by the platform's GitHubApi, which every review
 * request goes through.
 */
/** The part of an Octokit instance a plugin hooks into. */
interface Hookable {
  hook: {
    wrap(name: 'request', fn: (request: (params: RequestParams) => Promise<unknown>, params: RequestParams) => Promise<unknown>): void;
  };
}
type RequestParams = { method?: string; url?: string; query?: unknown } & Record<string, unknown>;

export interface PacingOptions {
  /** Minimum time between the starts of two mutating requests of one credential; 0 turns pacing off (tests). */
  writeSpacingMs?: number;
}

interface Lane {
  /** Settles when the last queued write of this credential has started. */
  tail: Promise<void>;
  /** When that write may start + spacing, i.e. when the next one may start. */
  nextAt: number;
  queued: number;
}

/** Lanes by credential, shared by every Octokit instance of the process (a job makes its own instance). */
const lanes = new Map<string, Lane>();

export function pacing(octokit: Hookable, options: { pacing?: PacingOptions; auth?: unknown }): void {
  const spacing = options.pacing?.writeSpacingMs ?? 1000;
  if (spacing <= 0) return;
  const key = credentialKey(options.auth);
  octokit.hook.wrap('request', async (request, params) => {
    if (!isMutating(params.method, params.url, params.query)) return request(params);
    await turn(key, spacing);
    return request(params);
  });
}

/** Waits for this credential's turn to start a write. */
async function turn(key: string, spacing: number): Promise<void> {
  const lane = lanes.get(key) ?? { tail: Promise.resolve(), nextAt: 0, queued: 0 };
  lanes.set(key, lane);
  lane.queued += 1;
  const mine = lane.tail.then(async () => {
    const wait = lane.nextAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lane.nextAt = Date.now() + spacing;
  });
  lane.tail = mine;
  try {
    await mine;
  } finally {
    lane.queued -= 1;
    // A lane nobody waits on and whose spacing has passed is forgotten, so the map stays as small as the traffic.
    if (lane.queued === 0) setTimeout(() => lane.queued === 0 && lanes.get(key) === lane && lanes.delete(key), spacing).unref();
  }
}

export function isMutating(method: string | undefined, url: string | undefined, query: unknown): boolean {
  const m = (method ?? 'GET').toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return false;
  if (m === 'POST' && url !== undefined && /\/graphql$/.test(url)) return typeof query === 'string' && /^\s*mutation\b/.test(query);
  return true;
}

/** An installation (App), a token, or this instance alone when the credential cannot be told. */
function credentialKey(auth: unknown): string {
  if (typeof auth === 'string') return `token:${auth.slice(-12)}`;
  const a = auth as { installationId?: unknown; token?: unknown; appId?: unknown } | undefined;
  if (a?.installationId !== undefined) return `installation:${String(a.installationId)}`;
  if (typeof a?.token === 'string') return `token:${a.token.slice(-12)}`;
  if (a?.appId !== undefined) return `app:${String(a.appId)}`;
  return `instance:${Math.random()}`;
}
