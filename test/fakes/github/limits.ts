/**
 * GitHub's documented (or widely observed) REST limits, in one place so tests can cite them. Sources:
 * ../shared/reference/platforms.md §1.6 and §5, docs.github.com "Checks" and "Pulls" pages, and the error texts
 * bots have reported from github.com (reviewdog, pronto, spectral-action issues).
 */
export const LIMITS = {
  /** `GET /pulls/:n/files`: "Responses include a maximum of 3000 files". */
  maxPullFiles: 3000,
  /** Pagination: default `per_page` and its maximum. */
  defaultPerPage: 30,
  maxPerPage: 100,
  /** `Accept: application/vnd.github.v3.diff` on a pull request answers 406 `too_large` above these. */
  maxDiffFiles: 300,
  maxDiffLines: 20_000,
  /** A file's `patch` is left out of the files API above these (GitHub's documented diff limits). */
  maxPatchBytes: 1_000_000,
  maxPatchLines: 20_000,
  /** Check runs: annotations per create/update request, and output field lengths. */
  maxAnnotationsPerRequest: 50,
  maxOutputChars: 65_535,
  maxAnnotationTitleChars: 255,
  maxAnnotationMessageBytes: 64 * 1024,
  /** Review and issue comment bodies. */
  maxCommentBodyChars: 65_536,
  /** Secondary rate limit on content-creating requests (POST/PATCH/PUT/DELETE). */
  contentRequestsPerMinute: 80,
  contentRequestsPerHour: 500,
  /** Primary rate limit of an installation token per hour. */
  primaryRateLimit: 5000,
  /** App JWTs may live at most 10 minutes. */
  maxJwtLifetimeSeconds: 600,
  /** GraphQL: `first`/`last` of a connection at most 100; at most 500,000 nodes per query (docs.github.com, "Rate limits and query limits for the GraphQL API"). */
  graphqlMaxPage: 100,
  graphqlMaxNodes: 500_000,
  /** GraphQL points per hour of an installation (the primary limit; each query costs at least 1). */
  graphqlPointsPerHour: 5000,
  /**
   * `Blob.text` beyond this many bytes comes back cut, with `isTruncated: true`. GitHub does not document the
   * threshold; 512 KiB is the fake's choice, so that callers are tested against truncation at all.
   */
  graphqlBlobTextBytes: 512 * 1024,
} as const;

export const DOCS = 'https://docs.github.com/rest';
