/** The Gerrit platform: what the service (src/server.ts) and `heartbeat-bot gerrit review` call. */
export { GerritClient, GerritApiError, changeId, versionAtLeast, type ServerFeatures } from './gerrit-client.js';
export { normalizeEvent, classifyEvent, isRecheck, projectMatcher, type NormalizeContext, type Classified } from './normalize-event.js';
export { reviewChange, reviewTag } from './review-change.js';
export { changesUpdatedSince, catchUpQuery } from './catch-up.js';
export { StreamEvents, STREAM_COMMAND, type StreamEventsOptions } from './stream-events.js';
export { tokenMatches } from './webhook-token.js';
export type { GerritConfig, GerritEvent, GerritLog, GerritReviewOutcome, GerritReviewDeps, ChangeRef } from './types.js';
