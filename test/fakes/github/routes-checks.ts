/**
 * Check runs with GitHub's validation: at most 50 annotations per request (appended across updates), output
 * title/summary/text at most 65535 characters (and bytes), required annotation fields, columns only on one line.
 * Only GitHub Apps (installation tokens, the Actions GITHUB_TOKEN) may write them; personal tokens get 403.
 */
import type { Ctx, Reply, Route } from './http.js';
import { bodyOf, error, invalidRequest, isRecord, json, notFound, paginate, route, validationFailed } from './http.js';
import { LIMITS } from './limits.js';
import { WEB } from './render.js';
import type { Annotation, CheckRunState } from './state.js';

const CREATE_DOCS = 'https://docs.github.com/rest/checks/runs#create-a-check-run';
const UPDATE_DOCS = 'https://docs.github.com/rest/checks/runs#update-a-check-run';
const STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
const LEVELS = ['notice', 'warning', 'failure'];

function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Validates a create/update body; returns an error reply or undefined. */
function validate(body: Record<string, unknown>, creating: boolean, docs: string): Reply | undefined {
  if (creating) {
    if (typeof body.name !== 'string' || body.name === '') return invalidRequest(`"name" wasn't supplied.`, docs);
    if (typeof body.head_sha !== 'string' || body.head_sha === '') return invalidRequest(`"head_sha" wasn't supplied.`, docs);
  }
  if (body.status !== undefined && !STATUSES.includes(String(body.status))) {
    return invalidRequest(`Invalid value for "status": "${String(body.status)}".`, docs);
  }
  if (body.conclusion !== undefined && body.conclusion !== null && !CONCLUSIONS.includes(String(body.conclusion))) {
    return invalidRequest(`Invalid value for "conclusion": "${String(body.conclusion)}".`, docs);
  }
  if (creating && body.status === 'completed' && (body.conclusion === undefined || body.conclusion === null)) {
    return validationFailed('CheckRun', 'conclusion', 'missing_field', 'conclusion is required when status is completed', docs);
  }
  if (body.output === undefined || body.output === null) return undefined;
  if (!isRecord(body.output)) return invalidRequest(`Invalid value for "output".`, docs);
  const output = body.output;
  if (creating || output.title !== undefined || output.summary !== undefined) {
    if (typeof output.title !== 'string') return invalidRequest(`"title" wasn't supplied.`, docs);
    if (typeof output.summary !== 'string') return invalidRequest(`"summary" wasn't supplied.`, docs);
  }
  for (const field of ['title', 'summary', 'text'] as const) {
    const value = output[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return invalidRequest(`Invalid value for "${field}".`, docs);
    const n = chars(value);
    if (n > LIMITS.maxOutputChars) return invalidRequest(`Only ${LIMITS.maxOutputChars} characters are allowed; ${n} were supplied.`, docs);
    if (Buffer.byteLength(value) > LIMITS.maxOutputChars) {
      return validationFailed('CheckRun', field, 'custom', `${field} exceeds a maximum bytesize of ${LIMITS.maxOutputChars}`, docs);
    }
  }
  for (const list of ['annotations', 'images'] as const) {
    const items = output[list];
    if (items === undefined) continue;
    if (!Array.isArray(items)) return invalidRequest(`Invalid value for "${list}".`, docs);
    if (items.length > LIMITS.maxAnnotationsPerRequest) {
      return invalidRequest(`No more than ${LIMITS.maxAnnotationsPerRequest} items are allowed; ${items.length} were supplied.`, docs);
    }
  }
  for (const a of (output.annotations as unknown[] | undefined) ?? []) {
    if (!isRecord(a)) return invalidRequest(`Invalid value for "annotations".`, docs);
    for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a[field] === undefined || a[field] === null || a[field] === '') return invalidRequest(`"${field}" wasn't supplied.`, docs);
    }
    if (typeof a.path !== 'string' || typeof a.message !== 'string') return invalidRequest(`Invalid value for "path" or "message".`, docs);
    if (!Number.isInteger(a.start_line) || !Number.isInteger(a.end_line)) return invalidRequest(`Invalid value for "start_line" or "end_line".`, docs);
    if ((a.start_line as number) < 1 || (a.end_line as number) < (a.start_line as number)) {
      return validationFailed('CheckRun', 'annotations', 'custom', 'end_line must be greater than or equal to start_line', docs);
    }
    if (!LEVELS.includes(String(a.annotation_level))) {
      return invalidRequest(`Invalid value for "annotation_level": "${String(a.annotation_level)}".`, docs);
    }
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
      return validationFailed('CheckRun', 'annotations', 'custom', 'start_column and end_column may only be used when start_line and end_line are the same', docs);
    }
    if (typeof a.title === 'string' && chars(a.title) > LIMITS.maxAnnotationTitleChars) {
      return invalidRequest(`Only ${LIMITS.maxAnnotationTitleChars} characters are allowed; ${chars(a.title)} were supplied.`, docs);
    }
    for (const big of ['message', 'raw_details']) {
      const v = a[big];
      if (typeof v === 'string' && Buffer.byteLength(v) > LIMITS.maxAnnotationMessageBytes) {
        return validationFailed('CheckRun', big, 'custom', `${big} exceeds a maximum bytesize of ${LIMITS.maxAnnotationMessageBytes}`, docs);
      }
    }
  }
  return undefined;
}

/** Who may write check runs: Apps only (GitHub answers personal tokens "You must authenticate via a GitHub App."). */
function writeDenied(ctx: Ctx, docs: string): Reply | undefined {
  const id = ctx.identity;
  if (id.kind === 'personal') return error(403, 'You must authenticate via a GitHub App.', {}, docs);
  if (id.kind === 'installation' && id.token.permissions.checks !== 'write') return error(403, 'Resource not accessible by integration', {}, docs);
  if (id.kind === 'github-actions') {
    if (id.token.permissions.checks !== 'write') return error(403, 'Resource not accessible by integration', {}, docs);
    // A GITHUB_TOKEN of a pull_request run from a fork is read-only.
    const sha = ctx.params.id ? ctx.core.state.checkRuns.find((r) => r.id === Number(ctx.params.id))?.head_sha : String(bodyOf(ctx).head_sha ?? '');
    const fromFork = [...ctx.core.state.pulls.values()].some((p) => p.fork && p.head.sha === sha);
    if (fromFork) return error(403, 'Resource not accessible by integration', {}, docs);
  }
  return undefined;
}

export function checkRunJson(ctx: Ctx, run: CheckRunState): Record<string, unknown> {
  const fullName = `${run.owner}/${run.repo}`;
  const prs = [...ctx.core.state.pulls.values()].filter((p) => p.head.sha === run.head_sha && `${p.owner}/${p.repo}`.toLowerCase() === fullName.toLowerCase());
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: run.head_sha,
    external_id: run.external_id,
    url: `${ctx.core.url}/repos/${fullName}/check-runs/${run.id}`,
    html_url: `${WEB}/${fullName}/runs/${run.id}`,
    details_url: run.details_url ?? `${WEB}/${fullName}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${ctx.core.url}/repos/${fullName}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 7000 + run.id },
    app: run.app,
    pull_requests: prs.map((p) => ({
      number: p.number,
      id: p.id,
      url: `${ctx.core.url}/repos/${fullName}/pulls/${p.number}`,
      head: { ref: p.head.ref, sha: p.head.sha },
      base: { ref: p.base.ref, sha: p.base.sha },
    })),
  };
}

function applyOutput(run: CheckRunState, body: Record<string, unknown>): void {
  if (!isRecord(body.output)) return;
  const o = body.output;
  if (typeof o.title === 'string') run.output.title = o.title;
  if (typeof o.summary === 'string') run.output.summary = o.summary;
  if (typeof o.text === 'string') run.output.text = o.text;
  if (Array.isArray(o.annotations) && o.annotations.length) {
    run.annotations.push(...(o.annotations as Annotation[]).map((a) => ({ ...a })));
    run.annotationBatches.push(o.annotations.length);
  }
}

function applyStatus(ctx: Ctx, run: CheckRunState, body: Record<string, unknown>): void {
  for (const k of ['name', 'details_url', 'external_id', 'started_at'] as const) {
    if (typeof body[k] === 'string') (run as unknown as Record<string, unknown>)[k] = body[k];
  }
  if (Array.isArray(body.actions)) run.actions = body.actions;
  if (typeof body.status === 'string') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    // "Providing conclusion will automatically set the status parameter to completed."
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    run.completed_at = typeof body.completed_at === 'string' ? body.completed_at : (run.completed_at ?? ctx.core.state.now());
  }
}

export const checkRoutes: Route[] = [
  route(
    'POST',
    '/repos/:owner/:repo/check-runs',
    'repo',
    (ctx) => {
      const denied = writeDenied(ctx, CREATE_DOCS);
      if (denied) return denied;
      const body = bodyOf(ctx);
      const bad = validate(body, true, CREATE_DOCS);
      if (bad) return bad;
      const repo = ctx.core.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '', false);
      if (!repo) return notFound();
      const sha = ctx.core.state.resolveRef(repo, String(body.head_sha));
      if (!sha) return validationFailed('CheckRun', 'head_sha', 'invalid', 'No commit found for SHA: ' + String(body.head_sha), CREATE_DOCS);
      const app =
        ctx.identity.kind === 'github-actions'
          ? { id: 15368, slug: 'github-actions', name: 'GitHub Actions' }
          : { id: ctx.core.appId, slug: ctx.core.appSlug, name: ctx.core.appName };
      const run: CheckRunState = {
        id: ctx.core.state.nextId(),
        owner: repo.owner,
        repo: repo.name,
        name: String(body.name),
        head_sha: sha,
        status: 'queued',
        conclusion: null,
        details_url: null,
        external_id: null,
        started_at: ctx.core.state.now(),
        completed_at: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
        annotationBatches: [],
        actions: [],
        app,
      };
      applyStatus(ctx, run, body);
      applyOutput(run, body);
      ctx.core.state.checkRuns.push(run);
      return json(201, checkRunJson(ctx, run));
    },
    CREATE_DOCS,
  ),
  route(
    'PATCH',
    '/repos/:owner/:repo/check-runs/:id',
    'repo',
    (ctx) => {
      const run = ctx.core.state.checkRuns.find((r) => r.id === Number(ctx.params.id));
      if (!run) return notFound();
      const denied = writeDenied(ctx, UPDATE_DOCS);
      if (denied) return denied;
      const body = bodyOf(ctx);
      const bad = validate(body, false, UPDATE_DOCS);
      if (bad) return bad;
      if (body.status === 'completed' && (body.conclusion === undefined || body.conclusion === null) && !run.conclusion) {
        return validationFailed('CheckRun', 'conclusion', 'missing_field', 'conclusion is required when status is completed', UPDATE_DOCS);
      }
      applyStatus(ctx, run, body);
      applyOutput(run, body);
      return json(200, checkRunJson(ctx, run));
    },
    UPDATE_DOCS,
  ),
  route('GET', '/repos/:owner/:repo/check-runs/:id', 'repo', (ctx) => {
    const run = ctx.core.state.checkRuns.find((r) => r.id === Number(ctx.params.id));
    return run ? json(200, checkRunJson(ctx, run)) : notFound();
  }),
  route('GET', '/repos/:owner/:repo/check-runs/:id/annotations', 'repo', (ctx) => {
    const run = ctx.core.state.checkRuns.find((r) => r.id === Number(ctx.params.id));
    return run ? paginate(ctx, run.annotations.map((a) => ({ ...a, blob_href: `${WEB}/${run.owner}/${run.repo}/blob/${run.head_sha}/${a.path}` }))) : notFound();
  }),
  route('GET', '/repos/:owner/:repo/commits/:ref/check-runs', 'repo', (ctx) => {
    const repo = ctx.core.state.repo(ctx.params.owner ?? '', ctx.params.repo ?? '', false);
    if (!repo) return notFound();
    const sha = ctx.core.state.resolveRef(repo, ctx.params.ref);
    if (!sha) return json(422, { message: `No commit found for SHA: ${ctx.params.ref}`, documentation_url: 'https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference', status: '422' });
    let runs = ctx.core.state.checkRuns.filter((r) => r.head_sha === sha && r.owner.toLowerCase() === repo.owner.toLowerCase() && r.repo.toLowerCase() === repo.name.toLowerCase());
    if (ctx.query.check_name) runs = runs.filter((r) => r.name === ctx.query.check_name);
    if (ctx.query.status) runs = runs.filter((r) => r.status === ctx.query.status);
    if (ctx.query.app_id) runs = runs.filter((r) => String(r.app.id) === ctx.query.app_id);
    if ((ctx.query.filter ?? 'latest') === 'latest') {
      const latest = new Map<string, CheckRunState>();
      for (const r of runs) latest.set(`${r.app.id}:${r.name}`, r);
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    return paginate(ctx, runs.map((r) => checkRunJson(ctx, r)), (page) => ({ total_count: runs.length, check_runs: page }));
  }),
];
