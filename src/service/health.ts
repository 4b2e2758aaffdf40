/**
 * `GET /healthz` and `GET /readyz` (README "Running the service").
 *
 *   /healthz  liveness: the process is up and serving HTTP; 200 (503 only while it shuts down). Never looks at
 *             dependencies, so an orchestrator does not restart a healthy process because Redis or Gerrit is down.
 *   /readyz   readiness: every check passes -> 200 `{status: "ready", checks}`; otherwise 503 with each check's
 *             `ok` and, for those failing, why. A load balancer sends webhooks only to ready instances.
 *
 * Checks run concurrently, each bounded by a timeout; cached() keeps a remote answer (Gerrit's version, GitHub's
 * `/app`) for a short time so frequent probes do not become load on the platform.
 */

export interface CheckResult {
  ok: boolean;
  /** What is wrong (or, when ok, something worth showing, e.g. `disabled`). */
  detail?: string;
}

export type Check = () => Promise<CheckResult> | CheckResult;

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: Record<string, CheckResult>;
}

/** Runs `checks` concurrently; a check that throws or outlasts `timeoutMs` fails with the reason. */
export async function readiness(checks: Readonly<Record<string, Check>>, timeoutMs = 5000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const result = await Promise.race([Promise.resolve().then(check), timedOut]);
        return [name, result];
      } catch (error) {
        return [name, { ok: false, detail: error instanceof Error ? error.message : String(error) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { status: entries.every(([, r]) => r.ok) ? 'ready' : 'not ready', checks: results };
}

/** `check`, its last answer reused for `ttlMs` (failures too, so a dead platform is not hammered by probes). */
export function cached(check: Check, ttlMs: number, now: () => number = Date.now): Check {
  let last: { at: number; result: Promise<CheckResult> } | undefined;
  return () => {
    const t = now();
    if (last !== undefined && t - last.at < ttlMs) return last.result;
    const result = Promise.resolve()
      .then(check)
      .catch((error: unknown): CheckResult => ({ ok: false, detail: error instanceof Error ? error.message : String(error) }));
    last = { at: t, result };
    return result;
  };
}

/** A Gerrit REST check: `GET <url>/config/server/version` (under `/a/` with credentials, so they are checked too). */
export function gerritRestCheck(options: {
  url: string;
  user?: string | undefined;
  password?: string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): Check {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  const authenticated = options.user !== undefined && options.password !== undefined;
  const url = `${base}${authenticated ? '/a' : ''}/config/server/version`;
  const headers: Record<string, string> = authenticated
    ? { authorization: `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}` }
    : {};
  return async () => {
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, detail: `GET ${base}/config/server/version failed: ${cause ?? (error instanceof Error ? error.message : String(error))}` };
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return { ok: true };
    const why = response.status === 401 || response.status === 403 ? ' (GERRIT_USER / GERRIT_PASSWORD refused)' : '';
    return { ok: false, detail: `GET ${base}/config/server/version answered ${response.status}${why}` };
  };
}
