/**
 * The `heartbeat-bot` check run of a head commit: created in progress (or, on a re-run, the existing one for
 * that commit and name is reused), then completed with its annotations in batches of at most 50, the last
 * request completing it. On a reused run only annotations it does not already have are added (GitHub appends
 * annotations on every update).
 */
import { errorFacts, type GitHubApi } from './api.js';
import { ANNOTATIONS_PER_REQUEST, batches, type Annotation, type CheckRunOutput, type Conclusion } from './check-run-output.js';
import type { GitHubLog } from './types.js';

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  externalId: string;
}

interface ExistingRun {
  id: number;
  html_url?: string;
  output?: { annotations_count?: number };
}

function annotationKey(a: Pick<Annotation, 'path' | 'start_line' | 'end_line' | 'annotation_level' | 'title' | 'message'>): string {
  return [a.path, a.start_line, a.end_line, a.annotation_level, a.title ?? '', a.message].join('\0');
}

export class CheckRunPublisher {
  id: number | undefined;
  htmlUrl: string | undefined;
  /** Set when the run could not be created (a read-only token): the review goes on without it. */
  failed: string | undefined;
  reused = false;
  annotationsPosted = 0;
  /** Every write, in order, as it was (or in a dry run, would have been) sent. */
  readonly writes: { method: 'POST' | 'PATCH'; body: Record<string, unknown> }[] = [];
  private existingAnnotations = new Set<string>();

  constructor(
    private readonly api: GitHubApi,
    private readonly target: CheckRunTarget,
    private readonly log: GitHubLog,
    private readonly dryRun = false,
  ) {}

  private get repoParams() {
    return { owner: this.target.owner, repo: this.target.repo };
  }

  /** The latest run of this name on the head commit, if any. */
  private async findExisting(): Promise<ExistingRun | undefined> {
    try {
      const response = await this.api.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        ...this.repoParams,
        ref: this.target.headSha,
        check_name: this.target.name,
        filter: 'latest',
        per_page: 100,
      });
      const runs = ((response.data as { check_runs?: ExistingRun[] }).check_runs ?? []).filter((r) => typeof r.id === 'number');
      return runs[0];
    } catch (error) {
      this.log.warn({ error: errorFacts(error).message }, 'GitHub: could not list check runs; creating a new one');
      return undefined;
    }
  }

  private async loadAnnotations(run: ExistingRun): Promise<void> {
    if ((run.output?.annotations_count ?? 0) === 0) return;
    try {
      const existing = await this.api.paginate<Annotation>('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', {
        ...this.repoParams,
        check_run_id: run.id,
      });
      this.existingAnnotations = new Set(existing.map(annotationKey));
    } catch (error) {
      this.log.warn({ error: errorFacts(error).message }, 'GitHub: could not list the check run annotations');
    }
  }

  /** Sends one write; false when it was not accepted (or, in a dry run, not sent). */
  private async write(method: 'POST' | 'PATCH', body: Record<string, unknown>): Promise<boolean> {
    this.writes.push({ method, body });
    if (this.dryRun || this.failed !== undefined) return false;
    try {
      if (method === 'POST') {
        const data = (await this.api.request('POST /repos/{owner}/{repo}/check-runs', { ...this.repoParams, ...body })).data as ExistingRun;
        this.id = data.id;
        if (data.html_url !== undefined) this.htmlUrl = data.html_url;
      } else {
        await this.api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...this.repoParams, check_run_id: this.id, ...body });
      }
      return true;
    } catch (error) {
      const facts = errorFacts(error);
      if (method === 'POST' || facts.status === 403 || facts.status === 404) {
        this.failed = `check run not allowed (${facts.status ?? 'network error'}: ${facts.message})`;
        this.log.warn({ status: facts.status, error: facts.message }, `GitHub: ${this.failed}`);
        return false;
      }
      // A batch that failed after retries: the rest is still worth sending.
      this.log.warn({ status: facts.status, error: facts.message }, 'GitHub: a check run update failed');
      return false;
    }
  }

  private async open(status: 'in_progress' | 'completed', extra: Record<string, unknown>, startedAt: string): Promise<void> {
    const existing = await this.findExisting();
    if (existing !== undefined) {
      this.id = existing.id;
      this.reused = true;
      if (existing.html_url !== undefined) this.htmlUrl = existing.html_url;
      if (status === 'in_progress') await this.loadAnnotations(existing);
      await this.write('PATCH', { status, external_id: this.target.externalId, ...extra });
      return;
    }
    await this.write('POST', { name: this.target.name, head_sha: this.target.headSha, external_id: this.target.externalId, status, started_at: startedAt, ...extra });
  }

  /** Marks the review as running. */
  async start(now: Date): Promise<void> {
    await this.open('in_progress', {}, now.toISOString());
  }

  /** One request, no annotations: a pull request that is not reviewed (draft, nothing relevant). */
  async skip(output: CheckRunOutput, now: Date): Promise<void> {
    await this.open('completed', { conclusion: 'neutral', completed_at: now.toISOString(), output }, now.toISOString());
  }

  /** Annotations in batches of 50; the last request completes the run. */
  async complete(output: CheckRunOutput, annotations: readonly Annotation[], conclusion: Conclusion, now: Date): Promise<void> {
    const fresh = annotations.filter((a) => !this.existingAnnotations.has(annotationKey(a)));
    const chunks = batches(fresh, ANNOTATIONS_PER_REQUEST);
    const last = chunks.pop() ?? [];
    for (const [i, chunk] of chunks.entries()) {
      const sent = await this.write('PATCH', {
        output: { title: output.title, summary: `Adding annotations (${(i + 1) * ANNOTATIONS_PER_REQUEST} of ${fresh.length})…`, annotations: chunk },
      });
      if (sent) this.annotationsPosted += chunk.length;
    }
    const sent = await this.write('PATCH', {
      status: 'completed',
      conclusion,
      completed_at: now.toISOString(),
      output: { ...output, ...(last.length > 0 ? { annotations: last } : {}) },
    });
    if (sent) this.annotationsPosted += last.length;
  }
}
