/**
 * Gerrit's JSON entities: ChangeInfo (fields gated by the `o=` options as Gerrit gates them), RevisionInfo,
 * FileInfo maps, ChangeMessageInfo and CommentInfo.
 */
import { accountInfo } from './accounts.js';
import { gerritTimestamp } from './clock.js';
import { fileInfo, lineCount, toBuffer } from './content.js';
import type { Change, PatchSet, StoredComment, StoredMessage } from './state.js';
import { commitMsgOf, contentAt, currentPatchSet, parentContentOf, refOf } from './state.js';

export interface LabelDef {
  /** Allowed values, e.g. [-2, -1, 0, 1, 2]. */
  values: number[];
  descriptions?: Record<string, string>;
}

export const DEFAULT_LABELS: Record<string, LabelDef> = {
  'Code-Review': { values: [-2, -1, 0, 1, 2] },
  Verified: { values: [-1, 0, 1] },
};

export interface RenderContext {
  url: string;
  labels: Record<string, LabelDef>;
}

function valueKey(v: number): string {
  return v > 0 ? `+${v}` : v === 0 ? ' 0' : String(v);
}

/** The files of a patch set against its parent, or against patch set `base` (the files endpoint's `?base=`). */
export function filesOf(change: Change, ps: PatchSet, options: { base?: PatchSet; commitMsg: boolean }): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (options.commitMsg) {
    const msg = toBuffer(commitMsgOf(change, ps, gerritTimestamp));
    if (options.base) {
      const old = toBuffer(commitMsgOf(change, options.base, gerritTimestamp));
      if (!old.equals(msg)) out['/COMMIT_MSG'] = fileInfo('M', undefined, old, msg, false);
    } else {
      out['/COMMIT_MSG'] = fileInfo('A', undefined, undefined, msg, false);
    }
  }
  if (!options.base) {
    for (const f of ps.files) out[f.path] = fileInfo(f.status, f.oldPath, f.oldContent, f.newContent, f.binary);
  } else {
    const base = options.base;
    const paths = new Set([...ps.files.map((f) => f.path), ...base.files.map((f) => f.path), ...ps.files.flatMap((f) => (f.oldPath ? [f.oldPath] : []))]);
    for (const path of [...paths].sort()) {
      const now = contentAt(ps, path) ?? (ps.files.some((f) => f.path === path || f.oldPath === path) ? undefined : parentContentOf(change, path));
      const then = contentAt(base, path) ?? (base.files.some((f) => f.path === path || f.oldPath === path) ? undefined : parentContentOf(change, path));
      if (now === undefined && then === undefined) continue;
      if (now && then && now.equals(then)) continue;
      const binary = ps.files.find((f) => f.path === path)?.binary ?? base.files.find((f) => f.path === path)?.binary ?? false;
      out[path] = fileInfo(then === undefined ? 'A' : now === undefined ? 'D' : 'M', undefined, then, now, binary);
    }
  }
  // Magic files first, then paths in byte order (Java's String.compareTo), as Gerrit sorts them.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a.startsWith('/') === b.startsWith('/') ? (a < b ? -1 : a > b ? 1 : 0) : a.startsWith('/') ? -1 : 1)));
}

function revisionInfo(change: Change, ps: PatchSet, opts: Set<string>, current: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    kind: ps.kind,
    _number: ps.number,
    created: gerritTimestamp(ps.created),
    uploader: accountInfo(ps.uploader, opts.has('DETAILED_ACCOUNTS')),
    ref: refOf(change.number, ps.number),
    fetch: {},
  };
  if (opts.has('ALL_COMMITS') || (current && opts.has('CURRENT_COMMIT'))) {
    const subject = ps.commitMessage.split('\n')[0] ?? '';
    const person = { name: ps.uploader.name, email: ps.uploader.email, date: gerritTimestamp(ps.created), tz: 0 };
    info.commit = { parents: [{ commit: ps.parent, subject: 'Parent commit' }], author: person, committer: person, subject, message: ps.commitMessage };
  }
  if (opts.has('ALL_FILES') || (current && opts.has('CURRENT_FILES'))) {
    info.files = filesOf(change, ps, { commitMsg: false });
  }
  return info;
}

function labelsInfo(change: Change, ctx: RenderContext, detailed: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(ctx.labels)) {
    const votes = change.votes.get(name) ?? new Map<number, number>();
    const label: Record<string, unknown> = {};
    const values = [...votes.values()];
    const max = Math.max(...def.values);
    const min = Math.min(...def.values);
    if (values.includes(min) && min < 0) label.rejected = { _account_id: [...votes].find(([, v]) => v === min)?.[0] };
    else if (values.includes(max) && max > 0) label.approved = { _account_id: [...votes].find(([, v]) => v === max)?.[0] };
    if (detailed) {
      label.all = [...votes].map(([id, value]) => ({ _account_id: id, value }));
      label.values = Object.fromEntries(def.values.map((v) => [valueKey(v), def.descriptions?.[valueKey(v)] ?? (v === 0 ? 'No score' : `${name} ${valueKey(v)}`)]));
      label.default_value = 0;
    }
    out[name] = label;
  }
  return out;
}

export function messageInfo(m: StoredMessage, detailed = true): Record<string, unknown> {
  return {
    id: m.id,
    author: accountInfo(m.author, detailed),
    real_author: accountInfo(m.author, detailed),
    date: gerritTimestamp(m.date),
    message: m.message,
    ...(m.tag !== undefined ? { tag: m.tag } : {}),
    _revision_number: m._revision_number,
  };
}

export function commentInfo(c: StoredComment): Record<string, unknown> {
  return {
    id: c.id,
    path: c.path,
    author: accountInfo(c.author),
    patch_set: c.patch_set,
    commit_id: c.commit_id,
    ...(c.side ? { side: c.side } : {}),
    ...(c.line !== undefined ? { line: c.line } : {}),
    ...(c.range ? { range: c.range } : {}),
    ...(c.in_reply_to ? { in_reply_to: c.in_reply_to } : {}),
    updated: gerritTimestamp(c.updated),
    message: c.message,
    unresolved: c.unresolved,
    ...(c.tag !== undefined ? { tag: c.tag } : {}),
    change_message_id: c.change_message_id,
    ...(c.fix_suggestions ? { fix_suggestions: c.fix_suggestions } : {}),
    ...(c.robot ? { robot_id: c.robot.robot_id, robot_run_id: c.robot.robot_run_id, ...(c.robot.url ? { url: c.robot.url } : {}), ...(c.robot.properties ? { properties: c.robot.properties } : {}) } : {}),
  };
}

/** ChangeInfo with the fields the `o=` options ask for (Gerrit leaves the others out). */
export function changeInfo(change: Change, options: string[], ctx: RenderContext): Record<string, unknown> {
  const opts = new Set(options.map((o) => o.toUpperCase()));
  const detailedAccounts = opts.has('DETAILED_ACCOUNTS');
  const current = currentPatchSet(change);
  const info: Record<string, unknown> = {
    id: `${encodeURIComponent(change.project)}~${change.number}`,
    triplet_id: `${encodeURIComponent(change.project)}~${encodeURIComponent(change.branch)}~${change.changeId}`,
    project: change.project,
    branch: change.branch,
    ...(change.topic ? { topic: change.topic } : {}),
    hashtags: [],
    change_id: change.changeId,
    subject: change.subject,
    status: change.status,
    created: gerritTimestamp(change.created),
    updated: gerritTimestamp(change.updated),
    submit_type: 'MERGE_IF_NECESSARY',
    insertions: current.files.reduce((n, f) => n + Number(fileInfo(f.status, f.oldPath, f.oldContent, f.newContent, f.binary).lines_inserted ?? 0), 0),
    deletions: current.files.reduce((n, f) => n + Number(fileInfo(f.status, f.oldPath, f.oldContent, f.newContent, f.binary).lines_deleted ?? 0), 0),
    total_comment_count: change.comments.length,
    unresolved_comment_count: unresolvedCount(change),
    _number: change.number,
    owner: accountInfo(change.owner, detailedAccounts),
    current_revision_number: current.number,
  };
  if (change.wip) info.work_in_progress = true;
  if (opts.has('LABELS') || opts.has('DETAILED_LABELS')) info.labels = labelsInfo(change, ctx, opts.has('DETAILED_LABELS'));
  if (opts.has('DETAILED_LABELS')) {
    info.permitted_labels = Object.fromEntries(Object.entries(ctx.labels).map(([name, def]) => [name, def.values.map(valueKey)]));
  }
  if (opts.has('MESSAGES')) info.messages = change.messages.map((m) => messageInfo(m, detailedAccounts));
  const all = opts.has('ALL_REVISIONS');
  if (all || opts.has('CURRENT_REVISION')) {
    info.current_revision = current.revision;
    const shown = all ? change.patchSets : [current];
    info.revisions = Object.fromEntries(shown.map((ps) => [ps.revision, revisionInfo(change, ps, opts, ps === current)]));
  }
  return info;
}

/** Threads whose last comment is unresolved. */
export function unresolvedCount(change: Change): number {
  const repliedTo = new Set(change.comments.flatMap((c) => (c.in_reply_to ? [c.in_reply_to] : [])));
  return change.comments.filter((c) => !repliedTo.has(c.id) && c.unresolved).length;
}

export function fileLines(content: Buffer | undefined): number {
  return lineCount(content);
}
