/** The GitHub platform: what the Probot app and the `heartbeat-bot github review` CLI / action call. */
export { reviewPullRequest, type ReviewPullRequestOptions } from './review-pull-request.js';
export { loadRepoConfig, GITHUB_CONFIG_PATH } from './load-config.js';
export { GitHubApi, GitHubApiError, GitHubGraphQLError } from './api.js';
export { BlobCache, sharedBlobCache } from './blob-cache.js';
export type { GitHubOctokit, GitHubReviewDeps, GitHubReviewOutcome, GitHubLog, PullRequestRef, RetryOptions } from './types.js';
