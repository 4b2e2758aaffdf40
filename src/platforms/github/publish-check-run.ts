/**
 * The `heartbeat-bot` check run of a head commit, written once the review is done:
 *
 * - no run yet: one `POST /check-runs` with the conclusion, the output and the first 50 annotations; more
 *   annotations follow in `PATCH`es of 50, the run created in progress and completed by the last one, so a
 *   completed run always has all its annotations;
 * - a run of ours for this head that already says the same (its summary ends with a hidden digest of the
 *   conclusion, the title, the summary and the annotations): nothing is written, so a redelivered event or a
 *   re-run of an unchanged head costs no write;
 * - a run that says something else (the configuration or heartbeat-bot changed, or an earlier review stopped
 *   half-way): it is updated in place, with only the annotations it does not have (GitHub appends annotations on
 *   every update, so they are listed first through REST, only in this case).
 */
import { createHash } from 'node:crypto';
import { errorFacts, type GitHubApi } from './api.js';
import { ANNOTATIONS_PER_REQUEST, batches, MAX_OUTPUT_CHARS, type Annotation, type CheckRunOutput, type Conclusion } from './check-run-output.js';
import type { ExistingCheckRun } from './pull-request-query.js';
import type { GitHubLog } from './types.js';

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  externalId: string;
}

export interface CheckRunContent {
  output: CheckRunOutput;
  /** The summary without what changes from run to run of the same head (what this run posted): the digest's. */
  stableSummary?: string;
  annotations: readonly Annotation[];
  conclusion: Conclusion;
}

function annotationKey(a: Pick<Annotation, 'path' | 'start_line' | 'end_line' | 'annotation_level' | 'title' | 'message'>): string {
  return [a.path, a.start_line, a.end_line, a.annotation_level, a.title ?? '', a.message].join('\0');
}

/** The hidden line at the end of the summary that says what the run holds. */
export function digestMarker(botName: string, content: CheckRunContent): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([content.conclusion, content.output.title, content.stableSummary ?? content.output.summary, content.annotations]))
    .digest('hex')
    .slice(0, 32);
  return `<!-- ${botName}:v1:check ${digest} -->`;
}

export class CheckRunPublisher {
  id: number | undefined;
  htmlUrl: string | undefined;
  /** Set when the run could not be created (a read-only token): the review goes on without it. */
  failed: string | undefined;
  reused = false;
  /** The run already said all this: nothing was written. */
  unchanged = false;
  annotationsPosted = 0;
  /** Every write, in order, as it was (or in a dry run, would have been) sent. */
  readonly writes: { method: 'POST' | 'PATCH'; body: Record<string, unknown> }[] = [];

  constructor(
    private readonly api: GitHubApi,
    private readonly target: CheckRunTarget,
    private readonly log: GitHubLog,
    private readonly dryRun = false,
    private readonly existing?: ExistingCheckRun,
  ) {
    if (existing !== undefined) {
      this.id = existing.id;
      if (existing.htmlUrl !== '') this.htmlUrl = existing.htmlUrl;
    }
  }

  private get repoParams() {
    return { owner: this.target.owner, repo: this.target.repo };
  }

  private async existingAnnotations(run: ExistingCheckRun): Promise<Set<string>> {
    if (run.annotations === 0) return new Set();
    try {
      const existing = await this.api.paginate<Annotation>('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', {
        ...this.repoParams,
        check_run_id: run.id,
      });
      return new Set(existing.map(annotationKey));
    } catch (error) {
      this.log.warn({ error: errorFacts(error).message }, 'GitHub: could not list the check run annotations');
      return new Set();
    }
  }

  /** Sends one write; false when it was not accepted (or, in a dry run, not sent). */
  private async write(method: 'POST' | 'PATCH', body: Record<string, unknown>): Promise<boolean> {
    this.writes.push({ method, body });
    if (this.dryRun || this.failed !== undefined) return false;
    try {
      if (method === 'POST') {
        const data = (await this.api.request('POST /repos/{owner}/{repo}/check-runs', { ...this.repoParams, ...body })).data as { id: number; html_url?: string };
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

  /** Writes the finished run (see the file comment for how many requests). */
  async publish(content: CheckRunContent, startedAt: Date, now: Date): Promise<void> {
    const marker = digestMarker(this.target.name, content);
    const room = MAX_OUTPUT_CHARS - marker.length - 2;
    const summary = `${content.output.summary.length > room ? content.output.summary.slice(0, room) : content.output.summary}\n\n${marker}`;
    const output = { ...content.output, summary };
    const run = this.existing;
    if (run !== undefined && run.status === 'completed' && (run.summary ?? '').endsWith(marker)) {
      this.reused = true;
      this.unchanged = true;
      this.annotationsPosted = Math.min(run.annotations, content.annotations.length);
      return;
    }
    const known = run !== undefined && !this.dryRun ? await this.existingAnnotations(run) : new Set<string>();
    const fresh = content.annotations.filter((a) => !known.has(annotationKey(a)));
    const chunks = batches(fresh, ANNOTATIONS_PER_REQUEST);
    if (chunks.length === 0) chunks.push([]);
    const done = { status: 'completed', conclusion: content.conclusion, completed_at: now.toISOString() };
    for (const [i, chunk] of chunks.entries()) {
      const last = i === chunks.length - 1;
      const body: Record<string, unknown> = {
        ...(last ? done : i === 0 ? { status: 'in_progress' } : {}),
        output: { ...output, ...(chunk.length > 0 ? { annotations: chunk } : {}) },
      };
      let sent: boolean;
      if (i === 0 && run === undefined) {
        sent = await this.write('POST', { name: this.target.name, head_sha: this.target.headSha, external_id: this.target.externalId, started_at: startedAt.toISOString(), ...body });
      } else {
        if (i === 0) this.reused = true;
        sent = await this.write('PATCH', i === 0 ? { external_id: this.target.externalId, ...body } : body);
      }
      if (sent) this.annotationsPosted += chunk.length;
    }
  }
}
