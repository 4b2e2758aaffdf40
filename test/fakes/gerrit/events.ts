/**
 * Gerrit-shaped stream events (Documentation/json.txt) as `gerrit stream-events` prints them and the webhooks
 * plugin POSTs them: `type`, `eventCreatedOn` (epoch seconds), `change` {project, branch, id, number, subject,
 * owner, url, commitMessage, createdOn, status, wip (only when true)}, `patchSet` {number, revision, parents, ref,
 * uploader, author, createdOn, kind, sizeInsertions, sizeDeletions}, plus `project`, `refName` and `changeKey`.
 */
import type { Account } from './accounts.js';
import { eventAccount } from './accounts.js';
import { epochSeconds } from './clock.js';
import { lineStats } from './content.js';
import type { Change, PatchSet } from './state.js';
import { refOf } from './state.js';

export type GerritEvent = Record<string, unknown> & { type: string };

export function changeAttribute(change: Change, url: string): Record<string, unknown> {
  const ps = change.patchSets[change.patchSets.length - 1];
  return {
    project: change.project,
    branch: change.branch,
    ...(change.topic ? { topic: change.topic } : {}),
    id: change.changeId,
    number: change.number,
    subject: change.subject,
    owner: eventAccount(change.owner),
    url: `${url}/c/${change.project}/+/${change.number}`,
    commitMessage: ps?.commitMessage ?? change.subject,
    createdOn: epochSeconds(change.created),
    status: change.status,
    ...(change.wip ? { wip: true } : {}),
  };
}

export function patchSetAttribute(change: Change, ps: PatchSet, kind?: string, uploader?: Account): Record<string, unknown> {
  let sizeInsertions = 0;
  let sizeDeletions = 0;
  for (const f of ps.files) {
    if (f.binary) continue;
    const s = lineStats(f.oldContent, f.newContent);
    sizeInsertions += s.inserted;
    sizeDeletions -= s.deleted;
  }
  return {
    number: ps.number,
    revision: ps.revision,
    parents: [ps.parent],
    ref: refOf(change.number, ps.number),
    uploader: eventAccount(uploader ?? ps.uploader),
    createdOn: epochSeconds(ps.created),
    author: eventAccount(ps.uploader),
    kind: kind ?? ps.kind,
    sizeInsertions,
    sizeDeletions,
  };
}

/** Fields every change event carries besides its own. */
export function changeEventBase(type: string, change: Change, url: string, now: number): GerritEvent {
  return {
    type,
    change: changeAttribute(change, url),
    project: change.project,
    refName: `refs/heads/${change.branch}`,
    changeKey: { id: change.changeId },
    eventCreatedOn: epochSeconds(now),
  };
}

/** Every number in the event written as a string, as old Gerrit servers did (`"number":"7385"`). */
export function numbersAsStrings(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(numbersAsStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersAsStrings(v)]));
  return value;
}

/** The names `-s` filters on. */
export const EVENT_TYPES = [
  'assignee-changed',
  'change-abandoned',
  'change-deleted',
  'change-merged',
  'change-restored',
  'comment-added',
  'dropped-output',
  'hashtags-changed',
  'project-created',
  'patchset-created',
  'private-state-changed',
  'ref-updated',
  'batch-ref-updated',
  'reviewer-added',
  'reviewer-deleted',
  'topic-changed',
  'wip-state-changed',
  'vote-deleted',
  'project-head-updated',
];
