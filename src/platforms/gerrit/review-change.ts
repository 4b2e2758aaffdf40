/**
 * One Gerrit change reviewed end to end: read it (change-source.ts), run the engine's review(), post ONE review
 * on the patch set (`POST /changes/{id}/revisions/{sha}/review`, CONTRACTS.md §4).
 *
 * - Superseded: a patch set older than the current one is not reviewed (the newer one's event does it).
 * - Once per patch set (OpenDev: one comment per patch set unless retriggered): a change message with our tag
 *   on the patch set means it was reviewed; only a recheck reviews it again.
 * - Trivial rebases (`trivial`): skipped when the previous patch set has our review.
 * - Work in progress: skipped unless `reviewWip` or a recheck.
 * - No file heartbeat-bot reads (a docs-only change): nothing is posted — OpenDev asks third-party systems for at
 *   most one comment per patch set, and a "nothing to see" message on every docs change is noise. With
 *   GERRIT_LABEL set a vote may be required, so then a one-line message with the +1 is posted (notify NONE).
 * - Inline comments only on added/changed lines (filter `added` on hunks computed from the contents, or the
 *   repository's `filter`), never on files outside the revision; `unresolved` for errors and warnings. A finding
 *   that already has an open comment of ours (same fingerprint, any patch set, thread not answered "fixed" by
 *   us) is not repeated; `omit_duplicate_comments` guards the same patch set on the server side too.
 * - Earlier unresolved comments of ours whose finding is gone, on files reviewed now (or deleted), get a
 *   resolving reply (`in_reply_to`, `unresolved: false`) in the same post.
 * - fix_suggestions only when the configuration enables them and the server is >= 3.10; otherwise (and when the
 *   server rejects them) the fix is in the comment text. Robot comments are never used (removed in 3.13).
 *
 * Requests for a first review of N relevant modified files: 1 change (with its files) + 1 patch + N contents +
 * 1 post, + 1 config unless the parent commit's `.heartbeat-bot.yml` is cached (repo-config-cache.ts) (+ 1 version
 * when fix_suggestions are enabled, + 1 comments once the bot has posted on the change). The patch is read while
 * the contents are.
 * Throws (GerritApiError) only when the change or its files cannot be read; everything later degrades.
 */
import { applyFilter } from '../../diff/apply-filter.js';
import { parseRepoConfig } from '../../engine/repo-config.js';
import { review } from '../../engine/review.js';
import { fingerprints } from '../../formats/fingerprint.js';
import type { FilterMode, MarkedFinding } from '../../model/finding.js';
import { SEVERITY_RANK } from '../../model/finding.js';
import type { RepoConfig, ReviewResult } from '../../model/review.js';
import { listFiles, readChangeContent, type ChangeContent, type GerritFileInfo } from './change-source.js';
import { commentLocation, fixSuggestionOf, inlineCommentMessage, resolvingReplyMessage, summaryMessage, type CommentRange, type FixSuggestion } from './comment-body.js';
import { changeId, GerritApiError, type GerritClient } from './gerrit-client.js';
import { parseMarker } from './markers.js';
import { sharedRepoConfigCache, type RepoConfigCache } from './repo-config-cache.js';
import type { ChangeRef, GerritReviewDeps, GerritReviewOutcome } from './types.js';

/** At most this many new inline comments per review; the rest are listed in the message. */
export const MAX_INLINE_COMMENTS = 50;
export const REPO_CONFIG_PATH = '.heartbeat-bot.yml';

/** Review notes worth a reviewer's attention (not the files heartbeat-bot does not read). */
const QUIET_SKIPS = new Set(['not a format heartbeat-bot reads', 'deleted', 'no content', 'ignored by the configuration', 'binary']);

interface AccountInfo {
  _account_id?: number;
  username?: string;
  name?: string;
}

interface ChangeMessageInfo {
  id?: string;
  tag?: string;
  message?: string;
  author?: AccountInfo;
  _revision_number?: number | string;
}

interface RevisionInfo {
  _number?: number | string;
  commit?: { message?: string; parents?: { commit?: string }[] };
  /** With `o=CURRENT_FILES`: the revision's files, as the files endpoint lists them. */
  files?: Record<string, GerritFileInfo>;
}

export interface ChangeInfo {
  project?: string;
  branch?: string;
  _number?: number;
  status?: string;
  work_in_progress?: boolean;
  current_revision?: string;
  revisions?: Record<string, RevisionInfo>;
  messages?: ChangeMessageInfo[];
}

export interface CommentInfo {
  id: string;
  path?: string;
  line?: number;
  range?: CommentRange;
  message?: string;
  unresolved?: boolean;
  in_reply_to?: string;
  patch_set?: number;
  updated?: string;
  author?: AccountInfo;
}

export interface CommentInput {
  line?: number;
  range?: CommentRange;
  message: string;
  unresolved: boolean;
  in_reply_to?: string;
  fix_suggestions?: FixSuggestion[];
}

export interface ReviewInput {
  tag: string;
  message: string;
  comments?: Record<string, CommentInput[]>;
  notify: 'OWNER' | 'NONE';
  omit_duplicate_comments: true;
  ignore_automatic_attention_set_rules: true;
  labels?: Record<string, number>;
}

export function reviewTag(botName: string): string {
  return `autogenerated:${botName}`;
}

/** Whether a change message is ours: its tag is `autogenerated:<botName>`, with or without a `~suffix`. */
export function isOurTag(tag: string | undefined, botName: string): boolean {
  if (tag === undefined) return false;
  const t = reviewTag(botName);
  return tag === t || tag.startsWith(`${t}~`);
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Patch sets that have a review of ours. */
export function reviewedPatchSets(messages: readonly ChangeMessageInfo[] | undefined, botName: string): Set<number> {
  const out = new Set<number>();
  for (const m of messages ?? []) {
    const ps = num(m._revision_number);
    if (ps !== undefined && isOurTag(m.tag, botName)) out.add(ps);
  }
  return out;
}

/** The vote: -1 on errors, +1 when there are no findings, 0 otherwise. */
export function voteOf(findings: readonly Pick<MarkedFinding, 'severity'>[]): number {
  if (findings.some((f) => f.severity === 'error')) return -1;
  return findings.length === 0 ? 1 : 0;
}

/** A thread of comments that begins with one of ours. */
export interface BotThread {
  root: CommentInfo;
  path: string;
  fingerprint: string;
  /** The thread's latest comment (replies go to it). */
  last: CommentInfo;
  /** Gerrit's thread state: the latest comment's `unresolved`. */
  unresolved: boolean;
  /** We answered it "fixed" already. */
  fixed: boolean;
}

/** Threads started by our comments (marker line; and our account when the author's username is known). */
export function botThreads(comments: Record<string, CommentInfo[]> | undefined, botName: string, botUser?: string): BotThread[] {
  const all: CommentInfo[] = [];
  for (const [path, list] of Object.entries(comments ?? {})) for (const c of list ?? []) all.push({ ...c, path: c.path ?? path });
  const byId = new Map(all.map((c) => [c.id, c]));
  const rootOf = (c: CommentInfo): CommentInfo => {
    let cur = c;
    const seen = new Set<string>();
    while (cur.in_reply_to !== undefined && byId.has(cur.in_reply_to) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.in_reply_to)!;
    }
    return cur;
  };
  const isOurs = (c: CommentInfo) => botUser === undefined || c.author?.username === undefined || c.author.username === botUser;
  const threads = new Map<string, BotThread>();
  for (const c of all) {
    if (c.in_reply_to !== undefined) continue;
    const marker = parseMarker(botName, c.message);
    if (marker === undefined || marker.fixed || !isOurs(c)) continue;
    threads.set(c.id, { root: c, path: c.path!, fingerprint: marker.fingerprint, last: c, unresolved: c.unresolved === true, fixed: false });
  }
  const ordered = [...all].sort((a, b) => (a.updated ?? '').localeCompare(b.updated ?? ''));
  for (const c of ordered) {
    if (c.in_reply_to === undefined) continue;
    const thread = threads.get(rootOf(c).id);
    if (thread === undefined) continue;
    thread.last = c;
    thread.unresolved = c.unresolved === true;
    const marker = parseMarker(botName, c.message);
    if (marker?.fixed === true && isOurs(c)) thread.fixed = true;
  }
  return [...threads.values()];
}

interface Candidate {
  finding: MarkedFinding;
  fingerprint: string;
}

export async function reviewChange(deps: GerritReviewDeps, ref: ChangeRef): Promise<GerritReviewOutcome> {
  const { client, config, log } = deps;
  const botName = config.botName;
  const startCalls = client.apiCalls;
  const id = changeId(ref.project, ref.change);
  const where = { project: ref.project, change: ref.change };
  const calls = () => client.apiCalls - startCalls;
  const skip = (reason: string, extra: Partial<GerritReviewOutcome> = {}): GerritReviewOutcome => {
    log.info({ ...where, skipped: reason, apiCalls: calls() }, 'Gerrit: change not reviewed');
    return { skipped: reason, posted: false, findings: 0, comments: 0, resolved: 0, apiCalls: calls(), ...extra };
  };

  const change = await readChangeInfo(client, id);
  const revision = change.current_revision;
  const current = revision !== undefined ? num(change.revisions?.[revision]?._number) : undefined;
  if (revision === undefined || current === undefined) throw new GerritApiError(`change ${ref.project}~${ref.change} has no current revision in Gerrit's answer`, 'GET', `/changes/${id}`, undefined);
  const patchSet = ref.patchSet ?? current;
  if (patchSet < current) return skip(`superseded: patch set ${current} is current`, { patchSet });
  if (patchSet > current) throw new GerritApiError(`change ${ref.project}~${ref.change} has no patch set ${patchSet} yet (current: ${current})`, 'GET', `/changes/${id}`, undefined);
  if (change.status !== undefined && change.status !== 'NEW') return skip(`change is ${change.status}`, { patchSet, revision });
  if (change.work_in_progress === true && config.reviewWip !== true && ref.recheck !== true) return skip('work in progress', { patchSet, revision });
  const reviewed = reviewedPatchSets(change.messages, botName);
  if (reviewed.has(patchSet) && ref.recheck !== true) return skip('already reviewed', { patchSet, revision });
  if (ref.trivial === true && ref.recheck !== true && reviewed.has(patchSet - 1)) return skip(`trivial rebase of reviewed patch set ${patchSet - 1}`, { patchSet, revision });

  const revisionInfo = change.revisions?.[revision];
  // Gerrit answers o=CURRENT_FILES with the files; one that leaves them out costs the files call.
  const files = revisionInfo?.files ?? (await listFiles(client, id, revision));
  const parents = revisionInfo?.commit?.parents ?? [];
  const cacheKey =
    parents.length === 1 && parents[0]?.commit !== undefined && !(REPO_CONFIG_PATH in files)
      ? `${config.url}\0${ref.project}\0${parents[0].commit}`
      : undefined;
  const { config: repoConfig, problems } =
    config.repoConfig === false
      ? { config: {} as RepoConfig, problems: [] as string[] }
      : await loadRepoConfig(client, id, revision, deps.rules.map((r) => r.meta.id), cacheKey !== undefined ? { cache: deps.configCache ?? sharedRepoConfigCache, key: cacheKey } : undefined);
  const content = await readChangeContent(client, {
    id,
    revision,
    branch: change.branch ?? '',
    ...(change.revisions?.[revision]?.commit?.message !== undefined ? { commitMessage: change.revisions[revision]!.commit!.message! } : {}),
    ...(repoConfig.ignore !== undefined ? { ignore: repoConfig.ignore } : {}),
  }, files);

  const features = await client.features();
  const recheck = ref.recheck === true;
  const reviewPath = `/changes/${id}/revisions/${revision}/review`;
  /** Posts (or in a dry run, withholds) one review. */
  const send = async (input: ReviewInput): Promise<{ posted: boolean; dryRun?: object }> => {
    if (config.dryRun === true) {
      log.info({ ...where, patchSet, review: input }, 'Gerrit: dry run, nothing posted');
      return { posted: false, dryRun: { path: reviewPath, review: input } };
    }
    // A review whose answer was lost may have landed: before retrying, look for a new message of ours.
    const ours = async (): Promise<number> =>
      (await client.get<ChangeMessageInfo[]>(`/changes/${id}/messages`)).filter((m) => num(m._revision_number) === patchSet && isOurTag(m.tag, botName)).length;
    const before = (change.messages ?? []).filter((m) => num(m._revision_number) === patchSet && isOurTag(m.tag, botName)).length;
    await client.post(reviewPath, input, { landed: async () => (await ours()) > before });
    return { posted: true };
  };
  /**
   * One bad comment makes Gerrit reject the whole review (400): first without fix_suggestions (fixes in the
   * text), then with the findings in the message only.
   */
  const post = async (input: ReviewInput, withoutFixes?: () => ReviewInput): Promise<{ posted: boolean; degraded?: string; dryRun?: object }> => {
    try {
      return await send(input);
    } catch (error) {
      if (!(error instanceof GerritApiError) || error.status !== 400 || input.comments === undefined) throw error;
      let reason = error.message.slice(0, 300);
      if (withoutFixes !== undefined) {
        log.warn({ ...where, patchSet, error: reason }, 'Gerrit: review with fix_suggestions rejected; fixes go into the comment text');
        try {
          return { ...(await send(withoutFixes())), degraded: `fix_suggestions rejected (${reason}); fixes in the comment text` };
        } catch (again) {
          if (!(again instanceof GerritApiError) || again.status !== 400) throw again;
          reason = again.message.slice(0, 300);
        }
      }
      log.warn({ ...where, patchSet, error: reason }, 'Gerrit: review rejected; posting the findings in the message');
      const fallback: ReviewInput = { ...input, message: `${input.message}\n\n(Gerrit rejected the inline comments: ${reason})` };
      delete fallback.comments;
      return { ...(await send(fallback)), degraded: `inline comments rejected (${reason}); findings in the message only` };
    }
  };

  if (content.relevant === 0) {
    if (config.label === undefined || config.label === '') return skip('no relevant files', { patchSet, revision });
    const input: ReviewInput = {
      tag: reviewTag(botName),
      message: `${botName}: no deployment file heartbeat-bot reads in patch set ${patchSet} (${Object.keys(files).filter((p) => !p.startsWith('/')).length} changed files); nothing to review.`,
      notify: 'NONE',
      omit_duplicate_comments: true,
      ignore_automatic_attention_set_rules: true,
      labels: { [config.label]: 1 },
    };
    const result = await post(input);
    return finish({ skipped: 'no relevant files', posted: result.posted, findings: 0, comments: 0, resolved: 0, label: 1, ...(result.dryRun ? { dryRun: result.dryRun } : {}) });
  }

  let result: ReviewResult;
  try {
    result = review(content.changeSet, deps.rules, deps.knowledge, { config: repoConfig });
  } catch (error) {
    // A broken engine must not be retried forever by the worker: report it.
    const message = error instanceof Error ? error.message : String(error);
    log.error({ ...where, patchSet, error: message }, 'Gerrit: review failed');
    return skip(`review failed: ${message}`, { patchSet, revision });
  }
  if (result.stats.files === 0 && result.findings.length === 0 && (config.label === undefined || config.label === '')) {
    return skip('no relevant files', { patchSet, revision });
  }

  const filter: FilterMode = repoConfig.filter ?? 'added';
  const inFiles = applyFilter(result.findings, 'file').filter((f) => content.listedPaths.has(f.path));
  const fps = fingerprints(result.findings, (path, line) => content.lines.get(path)?.[line - 1]);
  const fpOf = new Map(result.findings.map((f, i) => [f, fps[i]!]));
  const current_ = new Set(inFiles.map((f) => fpOf.get(f)!));
  const commentable = applyFilter(inFiles, filter === 'nofilter' ? 'file' : filter).filter((f) => content.readPaths.has(f.path));

  // Earlier comments: read only when the bot has posted on this change before.
  let threads: BotThread[] = [];
  let degraded: string | undefined;
  if (reviewed.size > 0) {
    try {
      threads = botThreads(await client.get<Record<string, CommentInfo[]>>(`/changes/${id}/comments`), botName, config.user);
    } catch (error) {
      if (!(error instanceof GerritApiError)) throw error;
      // Without them the review cannot avoid repeating itself: post the summary only.
      degraded = `earlier comments could not be read (${error.message}); no inline comments this time`;
      log.warn({ ...where, error: error.message }, `Gerrit: ${degraded}`);
    }
  }
  const open = new Set(threads.filter((t) => !t.fixed).map((t) => t.fingerprint));
  const seen = new Set<string>();
  const fresh: Candidate[] = [];
  let repeated = 0;
  for (const finding of commentable) {
    const fingerprint = fpOf.get(finding)!;
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    if (open.has(fingerprint)) repeated++;
    else fresh.push({ finding, fingerprint });
  }
  const ordered = degraded !== undefined ? [] : fresh.map((c, i) => ({ c, i })).sort((a, b) => SEVERITY_RANK[b.c.finding.severity] - SEVERITY_RANK[a.c.finding.severity] || a.i - b.i).map(({ c }) => c);
  const inline = ordered.slice(0, MAX_INLINE_COMMENTS);
  const inlineSet = new Set(inline.map((c) => c.finding));
  const openSet = new Set(commentable.filter((f) => open.has(fpOf.get(f)!)));
  const listed = inFiles.filter((f) => !inlineSet.has(f) && !openSet.has(f));

  const replies: [string, CommentInput][] = [];
  const deleted = new Set(content.changeSet.files.filter((f) => f.status === 'deleted').map((f) => f.path));
  for (const t of threads) {
    if (t.fixed || !t.unresolved || current_.has(t.fingerprint)) continue;
    if (!content.readPaths.has(t.path) && !deleted.has(t.path)) continue;
    const lines = content.lines.get(t.path);
    const end = t.root.range?.end_line ?? t.root.line ?? 0;
    // The reply sits where the thread does, when that place exists in this patch set (else it is a file comment).
    const fits = lines !== undefined && end >= 1 && end <= lines.length;
    const location = !fits ? {} : t.root.range !== undefined ? { range: t.root.range } : { line: t.root.line! };
    replies.push([t.path, { ...location, in_reply_to: t.last.id, message: resolvingReplyMessage(botName, t.fingerprint, patchSet), unresolved: false }]);
  }
  const resolved = replies.length;
  const commentsOf = (withFixes: boolean): Record<string, CommentInput[]> | undefined => {
    const comments: Record<string, CommentInput[]> = {};
    const add = (path: string, c: CommentInput) => (comments[path] ??= []).push(c);
    for (const { finding, fingerprint } of inline) {
      const lines = content.lines.get(finding.path) ?? [];
      const fix = withFixes ? fixSuggestionOf(finding, lines) : undefined;
      add(finding.path, {
        ...commentLocation(finding, (n) => lines[n - 1]),
        message: inlineCommentMessage({ finding, fingerprint, botName, ...(config.docsUrl !== undefined ? { docsUrl: config.docsUrl } : {}), fixInText: fix === undefined }),
        unresolved: finding.severity !== 'info',
        ...(fix !== undefined ? { fix_suggestions: [fix] } : {}),
      });
    }
    for (const [path, reply] of replies) add(path, reply);
    return Object.keys(comments).length > 0 ? comments : undefined;
  };
  const comments = commentsOf(features.fixSuggestions);
  const hasFixes = Object.values(comments ?? {}).some((list) => list.some((c) => c.fix_suggestions !== undefined));

  const notes = notesOf(content, result, problems);
  if (ordered.length > inline.length) notes.push(`${ordered.length - inline.length} findings beyond the first ${MAX_INLINE_COMMENTS} inline comments are listed above.`);
  if (degraded !== undefined) notes.push(`Degraded: ${degraded}.`);
  const label = config.label !== undefined && config.label !== '' ? voteOf(inFiles) : undefined;
  const input: ReviewInput = {
    tag: reviewTag(botName),
    message: summaryMessage({
      botName,
      patchSet,
      findings: inFiles,
      inline: inline.length,
      repeated,
      listed,
      resolved,
      reviewedFiles: result.stats.files,
      release: `${result.release.series}, from the ${result.release.source}`,
      concurrency: result.summary,
      notes,
      ...(config.docsUrl !== undefined ? { docsUrl: config.docsUrl } : {}),
      ...(config.aboutUrl !== undefined ? { aboutUrl: config.aboutUrl } : {}),
      recheck,
    }),
    ...(comments !== undefined ? { comments } : {}),
    notify: inFiles.length > 0 ? 'OWNER' : 'NONE',
    omit_duplicate_comments: true,
    ignore_automatic_attention_set_rules: true,
    ...(label !== undefined ? { labels: { [config.label!]: label } } : {}),
  };
  const withoutFixes = (): ReviewInput => {
    const plain = { ...input };
    const c = commentsOf(false);
    if (c !== undefined) plain.comments = c;
    return plain;
  };
  const posted = await post(input, hasFixes ? withoutFixes : undefined);
  const severities: NonNullable<GerritReviewOutcome['severities']> = {};
  for (const f of inFiles) severities[f.severity] = (severities[f.severity] ?? 0) + 1;
  return finish({
    posted: posted.posted,
    findings: inFiles.length,
    severities,
    comments: inline.length,
    resolved,
    ...(label !== undefined ? { label } : {}),
    ...(posted.dryRun !== undefined ? { dryRun: posted.dryRun } : {}),
    ...(posted.degraded !== undefined || degraded !== undefined ? { degraded: [degraded, posted.degraded].filter((d) => d !== undefined).join('; ') } : {}),
  });

  function finish(outcome: Omit<GerritReviewOutcome, 'apiCalls'>): GerritReviewOutcome {
    const out: GerritReviewOutcome = { ...outcome, apiCalls: calls(), patchSet, revision };
    log.info({ ...where, patchSet, findings: out.findings, comments: out.comments, resolved: out.resolved, label: out.label, posted: out.posted, apiCalls: out.apiCalls }, 'Gerrit: change reviewed');
    return out;
  }
}

async function readChangeInfo(client: GerritClient, id: string): Promise<ChangeInfo> {
  try {
    const change = await client.get<ChangeInfo | undefined>(`/changes/${id}?o=CURRENT_REVISION&o=CURRENT_COMMIT&o=CURRENT_FILES&o=MESSAGES`);
    if (change === undefined || typeof change !== 'object') throw new GerritApiError(`Gerrit sent no change for ${decodeURIComponent(id)}`, 'GET', `/changes/${id}`, undefined);
    return change;
  } catch (error) {
    if (error instanceof GerritApiError && !error.message.startsWith('cannot read')) {
      throw new GerritApiError(`cannot read change ${decodeURIComponent(id)}: ${error.message}`, error.method, error.path, error.status, { cause: error });
    }
    throw error;
  }
}

/**
 * `.heartbeat-bot.yml` at the revision: none (404) is the empty configuration; problems are reported. With `cached`
 * (the revision's tree has the same file as the commit the key names), a text read before is reused and a text
 * read now is kept; a failed read is not.
 */
export async function loadRepoConfig(
  client: GerritClient,
  id: string,
  revision: string,
  ruleIds: readonly string[],
  cached?: { cache: RepoConfigCache; key: string },
): Promise<{ config: RepoConfig; problems: string[] }> {
  let text: string | undefined;
  const hit = cached?.cache.get(cached.key);
  if (hit !== undefined) text = hit.text;
  else {
    try {
      text = await client.content(id, revision, REPO_CONFIG_PATH);
    } catch (error) {
      return { config: {}, problems: [`${REPO_CONFIG_PATH}: could not be read (${error instanceof Error ? error.message : String(error)}); using the defaults`] };
    }
    cached?.cache.set(cached.key, text);
  }
  if (text === undefined) return { config: {}, problems: [] };
  return parseRepoConfig(text, REPO_CONFIG_PATH, ruleIds);
}

function notesOf(content: ChangeContent, result: ReviewResult, problems: readonly string[]): string[] {
  const notes = [...content.notes];
  const noted = new Set(content.changeSet.files.filter((f) => f.skipped !== undefined).map((f) => f.path));
  for (const s of result.skipped) if (!QUIET_SKIPS.has(s.reason) && !noted.has(s.path)) notes.push(`${s.path} skipped: ${s.reason}.`);
  for (const p of problems) notes.push(`Configuration: ${p}`);
  for (const e of result.errors) notes.push(`${e.path}: ${e.message}`);
  return notes;
}
