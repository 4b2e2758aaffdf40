/**
 * Catch-up after a reconnect, and polling when there is no event source: the open changes updated since a time,
 * on the watched projects, each as a patchset-created-like event for its current patch set. reviewChange's
 * "already reviewed" check makes replaying a change that was reviewed harmless (no post).
 *
 * `GET /changes/?q=status:open after:"<UTC time>" (project:a OR project:b)&o=CURRENT_REVISION&n=100&S=<offset>`,
 * following `_more_changes` on the last item. Globs in GERRIT_PROJECTS cannot be queried exactly, so the query
 * uses the exact names and, when there is a glob, every project, filtering the results with the same matcher as
 * the events.
 */
import type { GerritClient } from './gerrit-client.js';
import { projectMatcher, toInt, TRIVIAL_KINDS } from './normalize-event.js';
import type { GerritEvent } from './types.js';

export const PAGE_SIZE = 100;
/** A runaway query stops here. */
export const MAX_CHANGES = 5000;

interface QueryChange {
  project?: string;
  branch?: string;
  _number?: number | string;
  work_in_progress?: boolean;
  current_revision?: string;
  revisions?: Record<string, { _number?: number | string; kind?: string; uploader?: { username?: string; name?: string } }>;
  updated?: string;
  _more_changes?: boolean;
}

/** `2026-11-27 03:00:00` in UTC, as Gerrit's query language reads it. */
export function gerritTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function isGlob(project: string): boolean {
  return /[*?[\]{}!]/.test(project);
}

/** The query string (unencoded) for changes updated since `since`. */
export function catchUpQuery(since: Date, projects?: readonly string[]): string {
  const list = (projects ?? []).map((p) => p.trim()).filter((p) => p !== '');
  const parts = ['status:open', `after:"${gerritTime(since)}"`];
  if (list.length > 0 && !list.some(isGlob)) {
    parts.push(list.length === 1 ? `project:${quote(list[0]!)}` : `(${list.map((p) => `project:${quote(p)}`).join(' OR ')})`);
  }
  return parts.join(' ');
}

function quote(project: string): string {
  return /^[\w./-]+$/.test(project) ? project : `"${project.replace(/"/g, '\\"')}"`;
}

export async function changesUpdatedSince(client: GerritClient, since: Date, projects?: string[], options: { now?: () => number; reviewWip?: boolean } = {}): Promise<GerritEvent[]> {
  const q = catchUpQuery(since, projects);
  const watched = projectMatcher(projects);
  const now = options.now ?? Date.now;
  const events: GerritEvent[] = [];
  for (let start = 0; start < MAX_CHANGES; start += PAGE_SIZE) {
    const page = (await client.get<QueryChange[] | undefined>(`/changes/?q=${encodeURIComponent(q)}&o=CURRENT_REVISION&n=${PAGE_SIZE}${start > 0 ? `&S=${start}` : ''}`)) ?? [];
    for (const c of page) {
      const change = toInt(c._number);
      const revision = c.current_revision;
      const rev = revision !== undefined ? c.revisions?.[revision] : undefined;
      const patchSet = toInt(rev?._number);
      if (c.project === undefined || c.branch === undefined || change === undefined || patchSet === undefined || !watched(c.project)) continue;
      if (c.work_in_progress === true && options.reviewWip !== true) continue;
      events.push({
        kind: 'patchset-created',
        project: c.project,
        branch: c.branch,
        change,
        patchSet,
        ...(revision !== undefined ? { revision } : {}),
        ...(rev?.kind !== undefined ? { patchSetKind: rev.kind, ...(TRIVIAL_KINDS.has(rev.kind) ? { trivial: true } : {}) } : {}),
        ...(c.work_in_progress !== undefined ? { wip: c.work_in_progress } : {}),
        receivedAt: now(),
      });
    }
    const last = page[page.length - 1];
    if (page.length === 0 || last?._more_changes !== true) break;
  }
  return events;
}
