/**
 * Everything about a pull request that the file list does not say, in one GraphQL query: the pull request itself
 * (draft, title, body, base branch, head and base commits), the top-level review comments and the review bodies
 * (the markers that make a review idempotent), the head commit's check runs named like ours, the configuration
 * file at the head — or, for the App, at the default branch and in the owner's `.github` repository, where
 * Probot's context.config looks — and the text of the blobs to review, one aliased `object(oid:)` each. Blobs beyond the
 * first BLOBS_PER_QUERY go in further queries of BLOBS_PER_QUERY each, at most BLOB_QUERY_CONCURRENCY at a time.
 *
 * The REST file list stays the source of the files (GraphQL's `files` has no blob ids, no old path of a rename
 * and no `patch`, and the pull request has no merge base in GraphQL: the base side is rebuilt from GitHub's own
 * hunks, exactly the lines a review comment may sit on).
 *
 * Schema: GitHub's published schema (test/platforms/github validates every document here against
 * @octokit/graphql-schema). Connections ask for at most 100 nodes; the query asks for about 420 nodes in all
 * (100 threads x 1 comment, 100 reviews, 20 check suites x 5 runs), far below GitHub's 500,000, and the blob
 * lookups are plain objects, not connections.
 */
import type { GitHubApi } from './api.js';
import { mapLimit } from '../map-limit.js';
import type { PullRequestInfo } from './pull-request-source.js';
import type { PullRequestRef } from './types.js';

export const BLOBS_PER_QUERY = 100;
export const BLOB_QUERY_CONCURRENCY = 4;
const PAGE = 100;

/** What GraphQL says of a blob. `text` is null for binary blobs. */
export interface GraphQLBlob {
  oid: string;
  text: string | null;
  isBinary: boolean;
  byteSize: number;
  isTruncated: boolean;
}

export interface ExistingCheckRun {
  id: number;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  externalId: string | null;
  htmlUrl: string;
  annotations: number;
}

/** A top-level review comment (the first of its thread): ours carry a marker. */
export interface ThreadComment {
  id: number;
  body: string;
  path: string;
}

export interface PullRequestSnapshot {
  info: PullRequestInfo;
  comments: ThreadComment[];
  reviewBodies: string[];
  /** The newest check run of the head commit with our name, if any. */
  checkRun?: ExistingCheckRun;
  /** The configuration file at the head: undefined when not asked for, null when there is none. */
  config?: GraphQLBlob | null;
  /**
   * The App's configuration files (appConfig): the repository's on its default branch, and the owner's `.github`
   * repository's (null: none, or not readable with this installation's token).
   */
  appConfig?: { repository: GraphQLBlob | null; owner: GraphQLBlob | null };
  blobs: Map<string, GraphQLBlob>;
}

const BLOB_FIELDS = 'fragment BlobText on Blob { oid text isBinary byteSize isTruncated }';
/** Where the App's configuration lives (Probot's context.config('heartbeat-bot.yml')). */
export const APP_CONFIG_PATH = '.github/heartbeat-bot.yml';
const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function blobAliases(oids: readonly string[]): string {
  // Hex only, checked: safe to write into the document (and no variable per blob to declare).
  return oids
    .filter((oid) => OID.test(oid))
    .map((oid, i) => `b${i}: object(oid: "${oid}") { ...BlobText }`)
    .join('\n    ');
}

const THREADS = `reviewThreads(first: ${PAGE}, after: $threadsAfter) {
        pageInfo { hasNextPage endCursor }
        nodes { comments(first: 1) { nodes { fullDatabaseId body path } } }
      }`;
const REVIEWS = `reviews(first: ${PAGE}, after: $reviewsAfter) {
        pageInfo { hasNextPage endCursor }
        nodes { body }
      }`;

/** The main document; `blobs` become aliases b0, b1 ... */
export function pullRequestDocument(oids: readonly string[]): string {
  return `query HeartbeatPullRequest($owner: String!, $repo: String!, $number: Int!, $checkName: String!, $withConfig: Boolean!, $configExpression: String, $withAppConfig: Boolean!, $threadsAfter: String, $reviewsAfter: String) {
  ownerConfig: repositoryOwner(login: $owner) @include(if: $withAppConfig) {
    repository(name: ".github") { object(expression: "HEAD:${APP_CONFIG_PATH}") { ...BlobText } }
  }
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      number isDraft state title body url baseRefName baseRefOid headRefOid changedFiles
      ${THREADS}
      ${REVIEWS}
      commits(last: 1) {
        nodes { commit { oid checkSuites(first: 20) { nodes { checkRuns(first: 5, filterBy: { checkName: $checkName }) {
          nodes { databaseId status conclusion title summary externalId url annotations { totalCount } }
        } } } } }
      }
    }
    config: object(expression: $configExpression) @include(if: $withConfig) { ...BlobText }
    appConfig: object(expression: "HEAD:${APP_CONFIG_PATH}") @include(if: $withAppConfig) { ...BlobText }
    ${blobAliases(oids)}
  }
}
${BLOB_FIELDS}`;
}

/** Further blobs, when there are more than the main document carries. */
export function blobsDocument(oids: readonly string[]): string {
  return `query HeartbeatBlobs($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    ${blobAliases(oids)}
  }
}
${BLOB_FIELDS}`;
}

/** More review threads or reviews than the first page held. */
export function pageDocument(which: 'threads' | 'reviews'): string {
  return `query HeartbeatPullRequest${which === 'threads' ? 'Threads' : 'Reviews'}($owner: String!, $repo: String!, $number: Int!, $${which === 'threads' ? 'threadsAfter' : 'reviewsAfter'}: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      ${which === 'threads' ? THREADS : REVIEWS}
    }
  }
}`;
}

interface Page<T> {
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
  nodes?: (T | null)[] | null;
}
type ThreadNode = { comments?: Page<{ fullDatabaseId?: string | number | null; body?: string | null; path?: string | null }> };
type RunNode = { databaseId?: number | null; status?: string; conclusion?: string | null; title?: string | null; summary?: string | null; externalId?: string | null; url?: string; annotations?: { totalCount?: number } };
interface PullRequestNode {
  number?: number;
  isDraft?: boolean;
  state?: string;
  title?: string;
  body?: string;
  url?: string;
  baseRefName?: string;
  baseRefOid?: string;
  headRefOid?: string;
  changedFiles?: number;
  reviewThreads?: Page<ThreadNode>;
  reviews?: Page<{ body?: string | null }>;
  commits?: Page<{ commit?: { oid?: string; checkSuites?: Page<{ checkRuns?: Page<RunNode> }> } }>;
}
type RepositoryNode = { pullRequest?: PullRequestNode | null; config?: GraphQLBlob | null; appConfig?: GraphQLBlob | null } & Record<string, unknown>;

function nodes<T>(page: Page<T> | undefined | null): T[] {
  return (page?.nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

function collectBlobs(repository: RepositoryNode | null | undefined, into: Map<string, GraphQLBlob>): void {
  for (const [key, value] of Object.entries(repository ?? {})) {
    if (!/^b\d+$/.test(key) || value === null || typeof value !== 'object') continue;
    const blob = value as GraphQLBlob;
    if (typeof blob.oid === 'string') into.set(blob.oid, blob);
  }
}

function threadComments(page: Page<ThreadNode> | undefined): ThreadComment[] {
  const out: ThreadComment[] = [];
  for (const thread of nodes(page)) {
    const [first] = nodes(thread.comments);
    const id = Number(first?.fullDatabaseId);
    if (first === undefined || !Number.isSafeInteger(id)) continue;
    out.push({ id, body: first.body ?? '', path: first.path ?? '' });
  }
  return out;
}

/**
 * Reads the snapshot: one query when the pull request has at most 100 review threads, 100 reviews and
 * BLOBS_PER_QUERY blobs to read, plus one per further page or chunk. Throws (GitHubApiError) when the pull
 * request cannot be read.
 */
export async function queryPullRequest(
  api: GitHubApi,
  pr: PullRequestRef,
  options: { checkName: string; blobOids: readonly string[]; configExpression?: string; appConfig?: boolean },
): Promise<PullRequestSnapshot> {
  const [first, ...rest] = chunks(options.blobOids, BLOBS_PER_QUERY);
  const vars = { owner: pr.owner, repo: pr.repo, number: pr.number };
  const main = api.graphql<{ repository?: RepositoryNode | null; ownerConfig?: { repository?: { object?: GraphQLBlob | null } | null } | null }>(
    pullRequestDocument(first ?? []),
    {
      ...vars,
      checkName: options.checkName,
      withConfig: options.configExpression !== undefined,
      configExpression: options.configExpression ?? null,
      withAppConfig: options.appConfig === true,
      threadsAfter: null,
      reviewsAfter: null,
    },
    // The owner may have no `.github` repository, or the installation may not reach it: no configuration there.
    (error) => Array.isArray(error.path) && error.path[0] === 'ownerConfig',
  );
  const more = mapLimit(rest, BLOB_QUERY_CONCURRENCY, (oids) =>
    api.graphql<{ repository?: RepositoryNode | null }>(blobsDocument(oids), { owner: pr.owner, repo: pr.repo }),
  );
  const [data, extra] = await Promise.all([main, more]);
  const node = data.repository?.pullRequest;
  if (node === undefined || node === null) throw new Error(`pull request ${pr.owner}/${pr.repo}#${pr.number} not found`);

  const blobs = new Map<string, GraphQLBlob>();
  collectBlobs(data.repository, blobs);
  for (const d of extra) collectBlobs(d.repository, blobs);

  const comments = threadComments(node.reviewThreads);
  for (let page = node.reviewThreads?.pageInfo; page?.hasNextPage === true; ) {
    const next = await api.graphql<{ repository?: { pullRequest?: PullRequestNode } }>(pageDocument('threads'), { ...vars, threadsAfter: page.endCursor ?? null });
    comments.push(...threadComments(next.repository?.pullRequest?.reviewThreads));
    page = next.repository?.pullRequest?.reviewThreads?.pageInfo;
  }
  const reviewBodies = nodes(node.reviews).map((r) => r.body ?? '');
  for (let page = node.reviews?.pageInfo; page?.hasNextPage === true; ) {
    const next = await api.graphql<{ repository?: { pullRequest?: PullRequestNode } }>(pageDocument('reviews'), { ...vars, reviewsAfter: page.endCursor ?? null });
    reviewBodies.push(...nodes(next.repository?.pullRequest?.reviews).map((r) => r.body ?? ''));
    page = next.repository?.pullRequest?.reviews?.pageInfo;
  }

  const headSha = node.headRefOid ?? '';
  const snapshot: PullRequestSnapshot = {
    info: {
      number: node.number ?? pr.number,
      headSha,
      baseSha: node.baseRefOid ?? '',
      baseRef: node.baseRefName ?? '',
      htmlUrl: node.url ?? `https://github.com/${pr.owner}/${pr.repo}/pull/${pr.number}`,
      draft: node.isDraft === true,
      state: (node.state ?? 'OPEN').toLowerCase(),
      title: node.title ?? '',
      body: node.body ?? '',
      changedFiles: typeof node.changedFiles === 'number' ? node.changedFiles : undefined,
    },
    comments,
    reviewBodies,
    blobs,
  };
  const run = newestRun(node, headSha);
  if (run !== undefined) snapshot.checkRun = run;
  if (options.configExpression !== undefined) snapshot.config = data.repository?.config ?? null;
  if (options.appConfig === true) snapshot.appConfig = { repository: data.repository?.appConfig ?? null, owner: data.ownerConfig?.repository?.object ?? null };
  return snapshot;
}

/** The newest run of the head commit (the last commit of the pull request must be the head). */
function newestRun(node: PullRequestNode, headSha: string): ExistingCheckRun | undefined {
  let best: ExistingCheckRun | undefined;
  for (const c of nodes(node.commits)) {
    if (c.commit?.oid !== headSha) continue;
    for (const suite of nodes(c.commit.checkSuites)) {
      for (const run of nodes(suite.checkRuns)) {
        if (typeof run.databaseId !== 'number' || (best !== undefined && best.id > run.databaseId)) continue;
        best = {
          id: run.databaseId,
          status: (run.status ?? '').toLowerCase(),
          conclusion: run.conclusion ? run.conclusion.toLowerCase() : null,
          title: run.title ?? null,
          summary: run.summary ?? null,
          externalId: run.externalId ?? null,
          htmlUrl: run.url ?? '',
          annotations: run.annotations?.totalCount ?? 0,
        };
      }
    }
  }
  return best;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
