/**
 * `POST /changes/{id}/revisions/{rev}/review`: ReviewInput checked the way Gerrit checks it, all or nothing.
 * - comments on a path the revision does not touch: 400 `file <path> not found in revision <change>,<ps>`;
 * - a negative line, a line past the end of the file, or an invalid/out-of-file range: 400;
 * - `/PATCHSET_LEVEL` comments with a line or range: 400;
 * - labels not configured or values out of range: 400; unknown `notify`: 400;
 * - `in_reply_to` naming no comment of the change: 400; `unresolved` defaults to false for a new thread and to the
 *   replied-to comment's value for a reply;
 * - `omit_duplicate_comments`: a comment equal to a published one (path, patch set, side, line, range, message) is
 *   dropped (Gerrit's CommentSetEntry);
 * - `robot_comments` stored on servers before 3.13, silently ignored from 3.13 (unknown JSON fields are ignored);
 * - `fix_suggestions` kept (with a generated `fix_id`) only when the experiment is on, silently dropped otherwise;
 * - comment text over the size limit (16 KiB) or more than 5000 comments on the change: 400.
 * A change message "Patch Set N: Label+1\n\n(k comments)\n\n<message>" is stored with the review's `tag`.
 */
import type { Account } from './accounts.js';
import { linesOf } from './content.js';
import type { Reply } from './http.js';
import { badRequest, json } from './http.js';
import type { LabelDef } from './render.js';
import type { Change, ChangeStore, PatchSet, StoredComment } from './state.js';
import { commitMsgOf } from './state.js';
import { gerritTimestamp } from './clock.js';

export interface ReviewSettings {
  labels: Record<string, LabelDef>;
  robotComments: boolean;
  fixSuggestions: boolean;
  commentSizeLimit: number;
  maxComments: number;
}

interface Range {
  start_line: number;
  start_character: number;
  end_line: number;
  end_character: number;
}

const NOTIFY = ['NONE', 'OWNER', 'OWNER_REVIEWERS', 'ALL'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Invalid extends Error {}

/** Lines of `path` on one side of a revision; undefined when the path is not part of the revision. */
function linesFor(change: Change, ps: PatchSet, path: string, parent: boolean): string[] | undefined {
  if (path === '/COMMIT_MSG') return parent ? [] : linesOf(commitMsgOf(change, ps, gerritTimestamp));
  const file = ps.files.find((f) => f.path === path);
  if (!file) return undefined;
  const content = parent ? file.oldContent : file.newContent;
  if (!content || file.binary) return [];
  return linesOf(content.toString('utf8'));
}

function rangeText(r: Range): string {
  return `(${r.start_line}:${r.start_character} - ${r.end_line}:${r.end_character})`;
}

function checkRange(raw: unknown, path: string, lines: string[]): Range {
  if (!isRecord(raw)) throw new Invalid(`range is not valid for file ${path}`);
  const r: Range = {
    start_line: Number(raw.start_line ?? 0),
    start_character: Number(raw.start_character ?? 0),
    end_line: Number(raw.end_line ?? 0),
    end_character: Number(raw.end_character ?? 0),
  };
  const ints = Object.values(r).every((n) => Number.isInteger(n) && n >= 0);
  const ordered = r.start_line >= 1 && (r.start_line < r.end_line || (r.start_line === r.end_line && r.start_character <= r.end_character));
  // The end is exclusive: (n+1):0 closes a range on the last line.
  const inFile =
    r.start_line <= lines.length &&
    r.start_character <= (lines[r.start_line - 1]?.length ?? 0) &&
    (r.end_line <= lines.length ? r.end_character <= (lines[r.end_line - 1]?.length ?? 0) : r.end_line === lines.length + 1 && r.end_character === 0);
  if (!ints || !ordered || !inFile) throw new Invalid(`range ${rangeText(r)} is not valid for file ${path}`);
  return r;
}

function checkFixes(raw: unknown, change: Change, ps: PatchSet, store: ChangeStore): unknown[] {
  if (!Array.isArray(raw)) throw new Invalid('fix_suggestions must be a list');
  return raw.map((fix) => {
    if (!isRecord(fix) || !Array.isArray(fix.replacements) || fix.replacements.length === 0) throw new Invalid('A fix suggestion must contain at least one replacement.');
    const replacements = fix.replacements.map((rep: unknown) => {
      if (!isRecord(rep) || typeof rep.path !== 'string') throw new Invalid('A file path must be given for the replacement of a fix suggestion.');
      if (typeof rep.replacement !== 'string') throw new Invalid('A replacement string must be given for the replacement of a fix suggestion.');
      const lines = linesFor(change, ps, rep.path, false);
      if (!lines) throw new Invalid(`file ${rep.path} not found in revision ${change.number},${ps.number}`);
      return { path: rep.path, range: checkRange(rep.range, rep.path, lines), replacement: rep.replacement };
    });
    return { fix_id: store.nextId('fix_'), description: typeof fix.description === 'string' ? fix.description : '', replacements };
  });
}

function sameComment(a: StoredComment, b: StoredComment): boolean {
  return (
    a.path === b.path &&
    a.patch_set === b.patch_set &&
    a.side === b.side &&
    a.line === b.line &&
    a.message === b.message &&
    JSON.stringify(a.range ?? null) === JSON.stringify(b.range ?? null)
  );
}

function buildComments(
  raw: unknown,
  kind: 'comments' | 'robot_comments',
  change: Change,
  ps: PatchSet,
  author: Account,
  now: number,
  settings: ReviewSettings,
  store: ChangeStore,
  messageId: string,
  tag: string | undefined,
): StoredComment[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) throw new Invalid(`${kind} must be a map of path to comments`);
  const out: StoredComment[] = [];
  for (const [key, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) throw new Invalid(`${kind} for ${key} must be a list`);
    for (const item of list) {
      if (!isRecord(item)) throw new Invalid(`invalid comment on ${key}`);
      const path = typeof item.path === 'string' ? item.path : key;
      const parent = item.side === 'PARENT';
      const message = typeof item.message === 'string' ? item.message.trim() : '';
      if (message === '') throw new Invalid(`message is required for a comment on ${path}`);
      if (Buffer.byteLength(message) > settings.commentSizeLimit) throw new Invalid(`Comment size exceeds limit (${Buffer.byteLength(message)} > ${settings.commentSizeLimit})`);
      const comment: StoredComment = {
        id: store.nextId(''),
        path,
        author,
        patch_set: ps.number,
        commit_id: ps.revision,
        message,
        unresolved: false,
        updated: now,
        change_message_id: messageId,
        ...(tag !== undefined ? { tag } : {}),
        ...(parent ? { side: 'PARENT' as const } : {}),
      };
      if (path === '/PATCHSET_LEVEL') {
        if (item.line !== undefined || item.range !== undefined) throw new Invalid('Patchset-level comments can\'t have range or line');
      } else {
        const lines = linesFor(change, ps, path, parent);
        if (!lines) throw new Invalid(`file ${path} not found in revision ${change.number},${ps.number}`);
        if (item.range !== undefined && item.range !== null) {
          comment.range = checkRange(item.range, path, lines);
          comment.line = comment.range.end_line;
        } else if (item.line !== undefined && item.line !== null && Number(item.line) !== 0) {
          const line = Number(item.line);
          if (!Number.isInteger(line)) throw new Invalid(`line ${String(item.line)} is not valid for file ${path}`);
          if (line < 0) throw new Invalid(`negative line number ${line} not allowed on ${path}`);
          if (line > lines.length) throw new Invalid(`line ${line} is not valid for file ${path}: the file has ${lines.length} lines`);
          comment.line = line;
        }
      }
      if (item.in_reply_to !== undefined && item.in_reply_to !== null) {
        const inReplyTo = String(item.in_reply_to);
        const replied = [...change.comments, ...out].find((c) => c.id === inReplyTo);
        if (!replied) throw new Invalid(`Invalid inReplyTo, comment ${inReplyTo} not found`);
        comment.in_reply_to = inReplyTo;
        comment.unresolved = typeof item.unresolved === 'boolean' ? item.unresolved : replied.unresolved;
      } else {
        comment.unresolved = typeof item.unresolved === 'boolean' ? item.unresolved : false;
      }
      if (item.fix_suggestions !== undefined && (settings.fixSuggestions || kind === 'robot_comments')) {
        comment.fix_suggestions = checkFixes(item.fix_suggestions, change, ps, store);
      }
      if (kind === 'robot_comments') {
        if (typeof item.robot_id !== 'string' || typeof item.robot_run_id !== 'string') throw new Invalid('robot_id and robot_run_id are required for a robot comment');
        comment.robot = {
          robot_id: item.robot_id,
          robot_run_id: item.robot_run_id,
          ...(typeof item.url === 'string' ? { url: item.url } : {}),
          ...(item.properties !== undefined ? { properties: item.properties } : {}),
        };
      }
      out.push(comment);
    }
  }
  return out;
}

function labelText(labels: Record<string, number>): string {
  return Object.entries(labels)
    .map(([name, v]) => (v === 0 ? `-${name}` : `${name}${v > 0 ? '+' : ''}${v}`))
    .join(' ');
}

export interface ReviewOutcome {
  reply: Reply;
  /** Comments actually published (after omit_duplicate_comments). */
  published: StoredComment[];
}

export function applyReview(change: Change, ps: PatchSet, input: unknown, author: Account, now: number, settings: ReviewSettings, store: ChangeStore): ReviewOutcome {
  if (!isRecord(input)) return { reply: badRequest('Invalid review input'), published: [] };
  try {
    const labels: Record<string, number> = {};
    if (input.labels !== undefined && input.labels !== null) {
      if (!isRecord(input.labels)) throw new Invalid('labels must be a map');
      for (const [name, value] of Object.entries(input.labels)) {
        const def = settings.labels[name];
        if (!def) throw new Invalid(`label "${name}" is not a configured label`);
        const v = Number(value);
        if (!Number.isInteger(v) || !def.values.includes(v)) throw new Invalid(`label "${name}": ${String(value)} is not a valid value`);
        labels[name] = v;
      }
    }
    if (input.notify !== undefined && !NOTIFY.includes(String(input.notify))) throw new Invalid(`Invalid notify value: ${String(input.notify)}`);
    if (input.tag !== undefined && typeof input.tag !== 'string') throw new Invalid('tag must be a string');
    const tag = typeof input.tag === 'string' ? input.tag : undefined;
    const messageId = store.nextId('');
    let comments = buildComments(input.comments, 'comments', change, ps, author, now, settings, store, messageId, tag);
    const robot = settings.robotComments ? buildComments(input.robot_comments, 'robot_comments', change, ps, author, now, settings, store, messageId, tag) : [];
    if (input.omit_duplicate_comments === true) {
      comments = comments.filter((c) => !change.comments.some((e) => !e.robot && sameComment(e, c)));
    }
    const total = change.comments.length + comments.length + robot.length;
    if (total > settings.maxComments) {
      throw new Invalid(`Exceeding maximum number of comments: ${change.comments.length} (existing) + ${comments.length + robot.length} (new) > ${settings.maxComments}`);
    }
    const text = typeof input.message === 'string' ? input.message.trim() : '';
    const count = comments.length + robot.length;
    if (text !== '' || count > 0 || Object.keys(labels).length > 0) {
      const head = `Patch Set ${ps.number}:${Object.keys(labels).length ? ` ${labelText(labels)}` : ''}`;
      const parts = [head];
      if (count > 0) parts.push(`(${count} comment${count === 1 ? '' : 's'})`);
      if (text !== '') parts.push(text);
      change.messages.push({ id: messageId, author, date: now, message: parts.join('\n\n'), ...(tag !== undefined ? { tag } : {}), _revision_number: ps.number });
    }
    for (const [name, v] of Object.entries(labels)) {
      const votes = change.votes.get(name) ?? new Map<number, number>();
      if (v === 0) votes.delete(author._account_id);
      else votes.set(author._account_id, v);
      change.votes.set(name, votes);
    }
    change.comments.push(...comments, ...robot);
    change.updated = now;
    const reply = Object.keys(labels).length ? { labels } : {};
    return { reply: json(reply), published: [...comments, ...robot] };
  } catch (e) {
    if (e instanceof Invalid) return { reply: badRequest(e.message), published: [] };
    throw e;
  }
}
