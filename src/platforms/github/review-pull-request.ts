/**
 * One pull request reviewed end to end: read it (pull-request-source.ts, pull-request-query.ts), run the engine's
 * review(), publish the review (publish-review.ts) and then the check run (publish-check-run.ts), whose summary
 * says what the review posted. Shared by the Probot app and the `heartbeat-bot github review` CLI / action.
 *
 * API calls, first review of a pull request of up to 100 files whose relevant files have a `patch`:
 *   1  `GET /pulls/{n}/files` (ceil(files/100) pages)
 *   1  GraphQL: the pull request, its review threads and review bodies, the head's check run, the configuration
 *      at the head (unless given) and the text of every relevant blob not in the process's blob cache
 *      (+1 per further 100 blobs, +1 per further 100 threads or reviews)
 *   1  the review, only when something is new (+1 per earlier comment marked resolved)
 *   1  the check run, created complete with its first 50 annotations (+1 per further 50)
 * A repeated event for the same head: the file list and the query (no blob text: cached), nothing written.
 * Blobs GraphQL truncates or that may not be UTF-8 cost one `git/blobs` call each; a file without a `patch` one
 * contents call for its base side.
 *
 * Throws only when the pull request cannot be read at all; anything later degrades and is reported in the
 * outcome and the check run.
 */
import { review } from '../../engine/review.js';
import { applyFilter } from '../../diff/apply-filter.js';
import { fingerprints } from '../../formats/fingerprint.js';
import type { FilterMode, Finding, MarkedFinding } from '../../model/finding.js';
import type { RepoConfig, ReviewResult } from '../../model/review.js';
import { parseRepoConfig } from '../../engine/repo-config.js';
import { errorFacts, GitHubApi, GitHubApiError } from './api.js';
import { sharedBlobCache } from './blob-cache.js';
import { annotationOf, conclusionOf, MAX_ANNOTATIONS, summaryOf, titleOf, type Conclusion } from './check-run-output.js';
import { blobPermalink, lastLineOf, repoHtmlBase } from './comment-body.js';
import { GITHUB_CONFIG_PATH, loadRepoConfig } from './load-config.js';
import { appConfigOf } from './app-config.js';
import { CheckRunPublisher } from './publish-check-run.js';
import { planReview, publishReview, type PublishReviewResult } from './publish-review.js';
import { queryPullRequest, type PullRequestSnapshot } from './pull-request-query.js';
import { blobReader } from './read-blobs.js';
import { headBlobsToRead, headOfFiles, listPullRequestFiles, readChange, type PullRequestChange } from './pull-request-source.js';
import type { GitHubReviewDeps, GitHubReviewOutcome, PullRequestRef } from './types.js';

export interface ReviewPullRequestOptions {
  /** The configuration, when the caller read it; else the App's (appConfig), else the head's. */
  config?: RepoConfig;
  /**
   * The App: read the configuration where Probot's context.config would (default branch, then the owner's `.github`
   * repository) within the pull request query; this reads it through the plugin when the query cannot (`_extends`).
   */
  appConfig?: () => Promise<{ config: RepoConfig; problems: string[] }>;
  configProblems?: string[];
  /** The head commit the event was about; a pull request that has moved on is left to the newer event. */
  headSha?: string;
  /** A release that wins over the configuration's (the CLI's `--release`), whichever way it was read. */
  release?: string;
}

/** Review notes worth a reviewer's attention (not the files heartbeat-bot does not read). */
const QUIET_SKIPS = new Set(['not a format heartbeat-bot reads', 'deleted', 'no content', 'ignored by the configuration']);

export async function reviewPullRequest(
  deps: GitHubReviewDeps,
  pr: PullRequestRef,
  options: ReviewPullRequestOptions = {},
): Promise<GitHubReviewOutcome> {
  const now = deps.now ?? (() => new Date());
  const dryRun = deps.dryRun === true;
  const api = new GitHubApi(deps.octokit, deps.log, dryRun, deps.retry, () => now().getTime());
  const counts = { findings: 0, annotations: 0, inlineComments: 0, bodyOnly: 0, resolved: 0 };
  const where = { owner: pr.owner, repo: pr.repo, pull: pr.number };

  const startedAt = now();
  const superseded = (head: string): GitHubReviewOutcome => {
    deps.log.info({ ...where, event: options.headSha, head }, 'GitHub: pull request has a newer head; leaving it to that event');
    return { skipped: `superseded: the head is now ${head}`, conclusion: 'neutral', ...counts, apiCalls: api.calls, apiCallsByKind: { ...api.callsByKind } };
  };

  const files = await listPullRequestFiles(api, pr);
  // The file list names the head it was read at: a pull request that has moved on costs nothing more.
  const listedHead = headOfFiles(files);
  if (options.headSha !== undefined && listedHead !== undefined && options.headSha !== listedHead) return superseded(listedHead);

  const cache = deps.blobCache ?? sharedBlobCache;
  let snapshot: PullRequestSnapshot;
  try {
    snapshot = await queryPullRequest(api, pr, {
      checkName: deps.botName,
      // A configuration read in this same query cannot narrow it: its `ignore`d files are fetched, then skipped.
      blobOids: headBlobsToRead(files, options.config?.ignore ?? []).filter((oid) => !cache.has(oid)),
      ...(options.config === undefined && options.appConfig === undefined && listedHead !== undefined ? { configExpression: `${listedHead}:${GITHUB_CONFIG_PATH}` } : {}),
      ...(options.config === undefined && options.appConfig !== undefined ? { appConfig: true } : {}),
    });
  } catch (error) {
    const facts = errorFacts(error);
    throw new GitHubApiError(`cannot read pull request ${pr.owner}/${pr.repo}#${pr.number}: ${facts.status ?? 'network error'} ${facts.message}`, facts.status, { cause: error });
  }
  const info = snapshot.info;
  if (options.headSha !== undefined && info.headSha !== '' && options.headSha !== info.headSha) return superseded(info.headSha);
  if (listedHead !== undefined && info.headSha !== listedHead) {
    // A push between the two reads: the files are of the older head; the push's own event reviews the newer one.
    return superseded(info.headSha);
  }
  const headSha = info.headSha;
  const checkRun = new CheckRunPublisher(
    api,
    { owner: pr.owner, repo: pr.repo, headSha, name: deps.botName, externalId: `${deps.botName}:v1:${pr.owner}/${pr.repo}#${pr.number}@${headSha}` },
    deps.log,
    dryRun,
    snapshot.checkRun,
  );
  // Problems of the configuration this review read itself (the caller reports those it read).
  let readProblems: string[] | undefined;
  const finish = (outcome: Omit<GitHubReviewOutcome, 'apiCalls' | 'checkRunId' | 'dryRun'>, review?: Record<string, unknown>, edits?: object[]): GitHubReviewOutcome => {
    const degraded = [outcome.degraded, checkRun.failed].filter((d) => d !== undefined).join('; ');
    const result: GitHubReviewOutcome = { ...outcome, apiCalls: api.calls, apiCallsByKind: { ...api.callsByKind } };
    if (degraded !== '') result.degraded = degraded;
    if (checkRun.id !== undefined) result.checkRunId = checkRun.id;
    if (checkRun.unchanged) result.checkRunUnchanged = true;
    if (readProblems !== undefined && readProblems.length > 0) result.configProblems = readProblems;
    if (dryRun) {
      result.dryRun = { checkRun: dryRunCheckRun(checkRun), ...(review !== undefined ? { review } : {}), ...(edits !== undefined && edits.length > 0 ? { edits } : {}) };
      deps.log.info({ ...where, dryRun: result.dryRun }, 'GitHub: dry run, nothing posted');
    }
    deps.log.info(
      { ...where, headSha, ...counts, conclusion: result.conclusion, apiCalls: result.apiCalls, apiCallsByKind: result.apiCallsByKind, skipped: result.skipped, degraded: result.degraded },
      'GitHub: pull request reviewed',
    );
    return result;
  };
  const skip = async (reason: string, title: string, summary: string): Promise<GitHubReviewOutcome> => {
    await checkRun.publish({ output: { title, summary }, annotations: [], conclusion: 'neutral' }, startedAt, now());
    return finish({ skipped: reason, conclusion: 'neutral', ...counts });
  };

  if (info.draft) {
    return skip('draft', 'draft: not reviewed', `**${deps.botName}** reviews this pull request when it is marked ready for review.`);
  }

  let config = options.config;
  const problems = [...(options.configProblems ?? [])];
  if (config === undefined) {
    const ruleIds = deps.rules.map((r) => r.meta.id);
    const loaded =
      options.appConfig !== undefined
        ? ((snapshot.appConfig !== undefined ? appConfigOf(snapshot.appConfig, pr.owner, ruleIds) : undefined) ?? (await options.appConfig()))
        : await configOf(api, pr, snapshot, headSha, ruleIds);
    config = loaded.config;
    readProblems = loaded.problems;
    problems.push(...loaded.problems);
  }
  if (options.release !== undefined) config = { ...config, release: options.release };
  const change = await readChange(api, pr, {
    info,
    files,
    ...(config.ignore !== undefined ? { ignore: config.ignore } : {}),
    ...(deps.concurrency !== undefined ? { concurrency: deps.concurrency } : {}),
    readBlob: blobReader(api, pr, cache, snapshot.blobs),
  });
  if (change.relevant === 0) {
    const notes = [...change.notes, ...problems.map((p) => `Configuration: ${p}`)];
    return skip(
      'no relevant files',
      'no relevant files',
      `**${deps.botName}** found no file it reads in this pull request (${files.length} changed files: Puppet, hieradata, heat, Ansible, ` +
        `oslo.config, uWSGI, Apache and Python files are reviewed).${notes.length > 0 ? `\n\n${notes.map((n) => `- ${n}`).join('\n')}` : ''}`,
    );
  }

  let result: ReviewResult;
  try {
    result = review(change.changeSet, deps.rules, deps.knowledge, { config });
  } catch (error) {
    // A configured release the knowledge does not know is reported by review() itself; anything else is a bug.
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error({ ...where, error: message }, 'GitHub: review failed');
    await checkRun.publish({ output: { title: 'review failed', summary: `**${deps.botName}** could not review this change: ${message}` }, annotations: [], conclusion: 'neutral' }, startedAt, now());
    return finish({ conclusion: 'neutral', ...counts, degraded: `review failed: ${message}` });
  }

  if (result.stats.files === 0 && result.findings.length === 0) {
    // Every candidate turned out to be something else (a `.conf` that is not INI, Apache or uWSGI, a script that
    // is not Python): nothing was reviewed.
    const notes = notesOf(change, result, problems, 0);
    await checkRun.publish(
      {
        output: { title: 'no relevant files', summary: `**${deps.botName}** found no file it reads in this pull request.${notes.length > 0 ? `\n\n${notes.map((n) => `- ${n}`).join('\n')}` : ''}` },
        annotations: [],
        conclusion: 'neutral',
      },
      startedAt,
      now(),
    );
    return finish({ skipped: 'no relevant files', conclusion: 'neutral', ...counts });
  }

  const filter: FilterMode = config.filter ?? 'added';
  const inFiles = applyFilter(result.findings, filter === 'nofilter' ? 'nofilter' : 'file');
  counts.findings = inFiles.length;
  const severities: NonNullable<GitHubReviewOutcome['severities']> = {};
  for (const f of inFiles) severities[f.severity] = (severities[f.severity] ?? 0) + 1;
  const contents = new Map(change.changeSet.files.filter((f) => f.newContent !== undefined).map((f) => [f.path, f.newContent!.split(/\r?\n/)]));
  const fps = fingerprints(result.findings, (path, line) => contents.get(path)?.[line - 1]);
  const plan = planReview({
    botName: deps.botName,
    ...(deps.docsUrl !== undefined ? { docsUrl: deps.docsUrl } : {}),
    findings: result.findings,
    fingerprints: fps,
    filter,
    patches: change.patches,
  });

  const htmlBase = repoHtmlBase(info.htmlUrl);
  let published: PublishReviewResult | undefined;
  let reviewDegraded: string | undefined;
  try {
    published = await publishReview(api, {
      pr,
      botName: deps.botName,
      ...(deps.docsUrl !== undefined ? { docsUrl: deps.docsUrl } : {}),
      headSha,
      htmlBase,
      plan,
      // The review goes first (the check run's summary says what it posted): link the run of this head if there
      // is one, else the pull request's checks page, where the run appears.
      checkRunUrl: checkRun.htmlUrl ?? `${info.htmlUrl}/checks`,
      threads: snapshot.comments,
      reviewBodies: snapshot.reviewBodies,
      mayResolve: (path) => change.readPaths.has(path) || (!change.capped && !change.listedPaths.has(path)),
      dryRun,
      log: deps.log,
    });
    Object.assign(counts, { inlineComments: published.inlineComments, bodyOnly: published.bodyOnly, resolved: published.resolved });
    reviewDegraded = published.degraded;
  } catch (error) {
    // Publishing catches GitHub's answers itself; anything else is a bug, reported rather than fatal.
    const facts = errorFacts(error);
    reviewDegraded = `review not posted (${facts.status ?? 'error'}: ${facts.message}), check run only`;
    deps.log.warn({ ...where, error: facts.message }, `GitHub: ${reviewDegraded}`);
  }

  const annotations = inFiles.slice(0, MAX_ANNOTATIONS).map(annotationOf);
  const conclusion: Conclusion = conclusionOf(inFiles);
  const notes = notesOf(change, result, problems, inFiles.length);
  const summaryInput = {
    botName: deps.botName,
    headSha,
    findings: inFiles,
    permalink: (f: Finding) => blobPermalink(htmlBase, headSha, f.path, f.line, lastLineOf(f)),
    ...(deps.docsUrl !== undefined ? { docsUrl: deps.docsUrl } : {}),
    concurrency: result.summary,
    reviewedFiles: result.stats.files,
    release: `${result.release.series} (${result.release.source})`,
    notes,
  };
  const summary = summaryOf({ ...summaryInput, reviewLines: reviewLines(counts, plan.offDiff.length, reviewDegraded) });
  // What this run posted is left out of the digest: a repeat that posts nothing finds the run unchanged.
  const stableSummary = summaryOf({ ...summaryInput, reviewLines: reviewLines({ inlineComments: 0, bodyOnly: 0, resolved: 0 }, plan.offDiff.length, reviewDegraded) });
  await checkRun.publish({ output: { title: titleOf(inFiles), summary }, stableSummary, annotations, conclusion }, startedAt, now());
  counts.annotations = dryRun ? annotations.length : checkRun.annotationsPosted;
  return finish({ conclusion, ...counts, severities, ...(reviewDegraded !== undefined ? { degraded: reviewDegraded } : {}) }, published?.review, published?.edits);
}

/** The configuration at the head, from the snapshot; through REST only when GraphQL could not give its text. */
async function configOf(
  api: GitHubApi,
  pr: PullRequestRef,
  snapshot: PullRequestSnapshot,
  headSha: string,
  ruleIds: readonly string[],
): Promise<{ config: RepoConfig; problems: string[] }> {
  const blob = snapshot.config;
  if (blob === null) return { config: {}, problems: [] };
  if (blob !== undefined && typeof blob.text === 'string' && !blob.isTruncated && !blob.isBinary) return parseRepoConfig(blob.text, GITHUB_CONFIG_PATH, ruleIds);
  return loadRepoConfig(api, { ...pr, ref: headSha }, ruleIds);
}

function reviewLines(counts: { inlineComments: number; bodyOnly: number; resolved: number }, offDiff: number, degraded: string | undefined): string[] {
  const lines: string[] = [];
  if (counts.inlineComments > 0 || counts.bodyOnly > 0) {
    lines.push(`Review: ${counts.inlineComments} new inline ${counts.inlineComments === 1 ? 'comment' : 'comments'}${counts.bodyOnly > 0 ? `, ${counts.bodyOnly} more listed in the review body` : ''}.`);
  }
  if (counts.resolved > 0) lines.push(`${counts.resolved} earlier ${counts.resolved === 1 ? 'comment' : 'comments'} marked resolved.`);
  if (offDiff > 0) lines.push(`${offDiff} ${offDiff === 1 ? 'finding is' : 'findings are'} outside the diff's lines: annotations only.`);
  if (degraded !== undefined) lines.push(`Degraded: ${degraded}.`);
  return lines;
}

function notesOf(change: PullRequestChange, result: ReviewResult, problems: readonly string[], findings: number): string[] {
  const notes = [...change.notes];
  if (findings > MAX_ANNOTATIONS) notes.push(`${findings - MAX_ANNOTATIONS} findings beyond the first ${MAX_ANNOTATIONS} are not annotated.`);
  const noted = new Set(change.changeSet.files.filter((f) => f.skipped !== undefined).map((f) => f.path));
  for (const s of result.skipped) {
    if (!QUIET_SKIPS.has(s.reason) && !noted.has(s.path)) notes.push(`\`${s.path}\` skipped: ${s.reason}.`);
  }
  for (const p of problems) notes.push(`Configuration: ${p}`);
  for (const e of result.errors) notes.push(`\`${e.path}\`: ${e.message}`);
  return notes;
}

function dryRunCheckRun(checkRun: CheckRunPublisher): object {
  const merged: Record<string, unknown> = {};
  const annotations: unknown[] = [];
  for (const w of checkRun.writes) {
    const { output, ...rest } = w.body as { output?: Record<string, unknown> };
    Object.assign(merged, rest);
    if (output !== undefined) {
      const { annotations: batch, ...fields } = output;
      if (Array.isArray(batch)) annotations.push(...(batch as unknown[]));
      merged.output = { ...(merged.output as object | undefined), ...fields };
    }
  }
  if (checkRun.id !== undefined) merged.id = checkRun.id;
  return { ...merged, output: { ...(merged.output as object | undefined), annotations }, requests: checkRun.writes.length };
}

export type { MarkedFinding };
