/**
 * Gerrit events -> GerritEvent, the same for `gerrit stream-events` lines and webhooks-plugin bodies (the plugin
 * posts the same Gson-serialised event; platforms.md §3.1–3.2). Never throws: anything unexpected is ignored with
 * a reason (classifyEvent), which the caller logs.
 *
 * - `patchset-created` -> 'patchset-created'; WIP changes are ignored unless `reviewWip`; TRIVIAL_REBASE,
 *   NO_CODE_CHANGE and NO_CHANGE set `trivial` (reviewChange skips them when the previous patch set was reviewed).
 * - `comment-added` whose text, without Gerrit's `Patch Set N: <votes>` line and `(N comments)` lines, starts
 *   with a line that is exactly `recheck` or `recheck <botName>` -> 'recheck'.
 * - `wip-state-changed` to ready -> 'ready'.
 * - The bot's own events (uploader / author username = botUser), projects outside GERRIT_PROJECTS, closed
 *   changes, other types and malformed input are ignored. Numbers sent as strings (old servers) are normalised.
 */
import picomatch from 'picomatch';
import type { GerritEvent } from './types.js';

export interface NormalizeContext {
  /** GERRIT_USER (or the SSH user): events caused by this account are ignored. */
  botUser?: string;
  /** BOT_NAME, for `recheck <botName>` (default 'heartbeat-bot'). */
  botName?: string;
  /** GERRIT_PROJECTS names or globs; empty or absent = every project. */
  projects?: string[];
  reviewWip?: boolean;
  now?: () => number;
}

export type Classified = { event: GerritEvent } | { ignored: string };

export const TRIVIAL_KINDS: ReadonlySet<string> = new Set(['TRIVIAL_REBASE', 'NO_CODE_CHANGE', 'NO_CHANGE']);

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A positive integer, from a number or a numeric string ("7385"). */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? v : undefined;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  }
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** The account's username, else name or email (for logs; only the username identifies the bot). */
function accountName(v: unknown): { username?: string; display?: string } {
  const a = obj(v);
  if (a === undefined) return {};
  const username = str(a.username);
  const display = username ?? str(a.name) ?? str(a.email);
  return { ...(username !== undefined ? { username } : {}), ...(display !== undefined ? { display } : {}) };
}

/** A matcher for GERRIT_PROJECTS: exact names or globs (`openstack/puppet-*`, `x/**`). */
export function projectMatcher(projects: readonly string[] | undefined): (project: string) => boolean {
  const list = (projects ?? []).map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0) return () => true;
  const match = picomatch(list, { dot: true });
  return (project) => list.includes(project) || match(project);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a comment-added text asks for a recheck: after Gerrit's `Patch Set N: <votes>` first line and its
 * `(N comments)` line, the first line is `recheck` or `recheck <botName>` (any case, surrounding blanks allowed).
 */
export function isRecheck(comment: string, botName = 'heartbeat-bot'): boolean {
  let text = comment.replace(/\r\n/g, '\n');
  text = text.replace(/^\s*Patch Set \d+:[^\n]*(\n|$)/i, '');
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\(\d+ (inline )?comments?\)$/i.test(l));
  const first = lines[0];
  if (first === undefined) return false;
  return new RegExp(`^recheck(\\s+${escapeRegExp(botName)})?$`, 'i').test(first);
}

/** GerritEvent or why not. */
export function classifyEvent(raw: unknown, ctx: NormalizeContext = {}): Classified {
  try {
    return classify(raw, ctx);
  } catch (error) {
    return { ignored: `malformed event (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** The event, or `undefined` when it is to be ignored (classifyEvent says why). */
export function normalizeEvent(raw: unknown, ctx: NormalizeContext = {}): GerritEvent | undefined {
  const c = classifyEvent(raw, ctx);
  return 'event' in c ? c.event : undefined;
}

function classify(raw: unknown, ctx: NormalizeContext): Classified {
  let value = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch {
      return { ignored: 'malformed event (not JSON)' };
    }
  }
  const e = obj(value);
  if (e === undefined) return { ignored: 'malformed event (not an object)' };
  const type = str(e.type);
  if (type === undefined) return { ignored: 'malformed event (no type)' };
  if (type !== 'patchset-created' && type !== 'comment-added' && type !== 'wip-state-changed') return { ignored: `event type ${type}` };

  const change = obj(e.change);
  const patchSet = obj(e.patchSet);
  if (change === undefined) return { ignored: `malformed ${type} (no change)` };
  const project = str(change.project) ?? str(obj(e.project)?.name) ?? str(e.project);
  const branch = str(change.branch);
  const number = toInt(change.number);
  const ps = toInt(patchSet?.number);
  if (project === undefined || branch === undefined || number === undefined) return { ignored: `malformed ${type} (change without project, branch or number)` };
  if (ps === undefined) return { ignored: `malformed ${type} (no patch set number)` };
  if (!projectMatcher(ctx.projects)(project)) return { ignored: `project ${project} is not watched` };

  const account = accountName(type === 'patchset-created' ? (e.uploader ?? patchSet?.uploader) : type === 'comment-added' ? e.author : (e.changer ?? e.author));
  if (ctx.botUser !== undefined && account.username !== undefined && account.username === ctx.botUser) return { ignored: `${type} by the bot itself` };

  const status = str(change.status);
  if (status !== undefined && status !== 'NEW') return { ignored: `change is ${status}` };

  const wip = bool(change.wip);
  const kind = str(patchSet?.kind);
  const createdOn = toInt(e.eventCreatedOn);
  const base: Omit<GerritEvent, 'kind'> = {
    project,
    branch,
    change: number,
    patchSet: ps,
    ...(str(patchSet?.revision) !== undefined ? { revision: str(patchSet?.revision)! } : {}),
    ...(kind !== undefined ? { patchSetKind: kind } : {}),
    ...(account.display !== undefined ? { author: account.display } : {}),
    ...(wip !== undefined ? { wip } : {}),
    ...(createdOn !== undefined ? { createdAt: createdOn * 1000 } : {}),
    receivedAt: (ctx.now ?? Date.now)(),
  };

  switch (type) {
    case 'patchset-created':
      if (wip === true && ctx.reviewWip !== true) return { ignored: 'work in progress' };
      return { event: { kind: 'patchset-created', ...base, ...(kind !== undefined && TRIVIAL_KINDS.has(kind) ? { trivial: true } : {}) } };
    case 'comment-added': {
      const comment = typeof e.comment === 'string' ? e.comment : '';
      if (!isRecheck(comment, ctx.botName)) return { ignored: 'comment is not a recheck' };
      return { event: { kind: 'recheck', ...base } };
    }
    default:
      // Gerrit sends `wip: true` only while a change is a work in progress; ready changes have no `wip`.
      if (wip === true) return { ignored: 'wip-state-changed to work in progress' };
      return { event: { kind: 'ready', ...base } };
  }
}
