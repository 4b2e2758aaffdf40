/**
 * A fake Gerrit over real protocols for end-to-end tests of the Gerrit platform: a REST API on node:http
 * (`/a/` + basic auth, XSSI prefix, Gerrit's ids, entities and 400s) and an ssh2 SSH daemon running
 * `gerrit stream-events`. Observable (request log, posted reviews, comments) and breakable (failNext, delay,
 * dropStreams, refuseSsh). See README.md and test/fakes/fake-gerrit.test.ts.
 *
 *   const fake = await startFakeGerrit();
 *   fake.addChange({ project: 'openstack/puppet-nova', number: 12345, subject: 'Tune heartbeats',
 *     patchSets: [{ files: [{ path: 'manifests/init.pp', oldContent: '...', newContent: '...' }] }] });
 *   // REST: fake.url, fake.user, fake.password    SSH: fake.ssh.{host,port,hostKey,user}, fake.sshClientKey.private
 *   fake.emitPatchsetCreated('openstack/puppet-nova', 12345);
 *   ...
 *   await fake.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account } from './accounts.js';
import { Accounts, eventAccount } from './accounts.js';
import { Clock, gerritTimestamp } from './clock.js';
import { fakeSha } from './content.js';
import type { GerritEvent } from './events.js';
import { changeEventBase, numbersAsStrings, patchSetAttribute } from './events.js';
import type { FailureSpec, LoggedRequest } from './http.js';
import { handle } from './http.js';
import type { LabelDef } from './render.js';
import { commentInfo, DEFAULT_LABELS } from './render.js';
import type { Core, PostedReview } from './routes.js';
import { routes } from './routes.js';
import type { KeyPair, SshInfo } from './ssh.js';
import { generateKeyPair, SshDaemon } from './ssh.js';
import type { AddChangeInput, Change, PatchSet, PatchSetInput, StoredComment } from './state.js';
import { ChangeStore, currentPatchSet, newChangeId, refOf, storeFile } from './state.js';

export type { Account } from './accounts.js';
export type { GerritEvent } from './events.js';
export type { FailureSpec, LoggedRequest } from './http.js';
export type { LabelDef } from './render.js';
export type { PostedReview } from './routes.js';
export type { KeyPair, SshInfo } from './ssh.js';
export type { AddChangeInput, Change, FileInput, PatchSet, PatchSetInput, StoredComment } from './state.js';
export { XSSI } from './http.js';
export { gerritTimestamp, parseTimestamp } from './clock.js';
export { generateKeyPair } from './ssh.js';

export interface FakeGerritOptions {
  /** What `GET /config/server/version` answers (default "3.11.2"). From 3.13, robot_comments are ignored. */
  version?: string;
  /** The fix_suggestions experiment: kept on comments when true, silently dropped when false (default false). */
  fixSuggestions?: boolean;
  /** The bot's account (default `heartbeat-bot`), its HTTP password (default a random one). */
  user?: string;
  password?: string;
  /** Labels of the projects (default Code-Review -2..+2, Verified -1..+1). */
  labels?: Record<string, LabelDef>;
  /** Freeze the clock at this time (default: real time). */
  time?: Date | number | string;
  /** Start the SSH daemon (default true). */
  ssh?: boolean;
  /** Maximum comment size in bytes (Gerrit's change.commentSizeLimit, default 16 KiB). */
  commentSizeLimit?: number;
}

export interface ChangeRef {
  project: string;
  number: number;
  changeId: string;
  /** `<project>~<number>` URL-encoded, as REST wants it in paths. */
  id: string;
  /** Revision shas of the patch sets, in order. */
  revisions: string[];
}

export interface EmitOptions {
  /** Send every number as a string, as old servers did. */
  asStrings?: boolean;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

export class FakeGerrit {
  url = '';
  readonly user: string;
  readonly password: string;
  readonly clock = new Clock();
  readonly accounts = new Accounts();
  readonly store = new ChangeStore();
  /** Every HTTP request, in order. */
  readonly requests: LoggedRequest[] = [];
  /** Every posted ReviewInput (accepted or rejected). */
  readonly reviews: PostedReview[] = [];
  /** Every event emitted, in order (what a catch-up should recover). */
  readonly events: GerritEvent[] = [];
  /** A client key pair registered for `user` (use `.private` as ssh2's `privateKey`). */
  readonly sshClientKey: KeyPair;
  version: string;
  fixSuggestions: boolean;
  labels: Record<string, LabelDef>;
  commentSizeLimit: number;
  maxComments = 5000;
  private readonly failures: FailureSpec[] = [];
  private delayMs = 0;
  private server!: Server;
  private readonly sshd: SshDaemon | undefined;
  private readonly passwords = new Map<string, string>();

  constructor(options: FakeGerritOptions = {}) {
    this.user = options.user ?? 'heartbeat-bot';
    this.password = options.password ?? `pw-${fakeSha(String(Math.random())).slice(0, 16)}`;
    this.passwords.set(this.user, this.password);
    this.accounts.get(this.user, 'heartbeat-bot');
    this.version = options.version ?? '3.11.2';
    this.fixSuggestions = options.fixSuggestions ?? false;
    this.labels = options.labels ?? DEFAULT_LABELS;
    this.commentSizeLimit = options.commentSizeLimit ?? 16 * 1024;
    if (options.time !== undefined) this.clock.set(options.time);
    this.sshClientKey = generateKeyPair(`${this.user}@fake`);
    if (options.ssh !== false) {
      this.sshd = new SshDaemon({ user: this.user, version: () => this.version });
      this.sshd.authorize(this.user, this.sshClientKey.public);
    }
  }

  /** `{host, port, hostKey, hostKeyFingerprint, hostKeyBlob, user}` of the SSH daemon. */
  get ssh(): SshInfo {
    if (!this.sshd) throw new Error('fake Gerrit started with ssh: false');
    return this.sshd.info;
  }

  private core(): Core {
    return {
      store: this.store,
      clock: this.clock,
      version: this.version,
      render: () => ({ url: this.url, labels: this.labels }),
      review: () => ({
        labels: this.labels,
        robotComments: !versionAtLeast(this.version, 3, 13),
        fixSuggestions: this.fixSuggestions,
        commentSizeLimit: this.commentSizeLimit,
        maxComments: this.maxComments,
      }),
      account: (username) => this.accounts.get(username),
      reviews: this.reviews,
    };
  }

  async start(): Promise<void> {
    const hooks = {
      routes: () => routes(this.core()),
      credentials: () => this.passwords,
      failures: this.failures,
      delayMs: () => this.delayMs,
      log: (entry: LoggedRequest) => this.requests.push(entry),
      now: () => this.clock.now(),
    };
    this.server = createServer((req, res) => {
      handle(hooks, req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    await this.sshd?.start();
  }

  async close(): Promise<void> {
    await this.sshd?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- accounts and credentials ----

  /** Another REST user with its HTTP password. */
  addUser(username: string, password: string, name?: string): Account {
    this.passwords.set(username, password);
    return this.accounts.get(username, name);
  }

  account(username: string): Account {
    return this.accounts.get(username);
  }

  /** Authorizes an SSH public key (`ssh-ed25519 AAAA...`) for a user. */
  addSshKey(user: string, publicKey: string | Buffer): void {
    this.sshDaemon().authorize(user, publicKey);
    this.accounts.get(user);
  }

  /** A new ed25519 key pair ({private, public} in OpenSSH format); not authorized until addSshKey. */
  generateClientKey(comment?: string): KeyPair {
    return generateKeyPair(comment);
  }

  /** Takes away (or gives back) a user's Stream Events capability. */
  denyStreamEvents(user: string, denied = true): void {
    if (denied) this.sshDaemon().denied.add(user);
    else this.sshDaemon().denied.delete(user);
  }

  private sshDaemon(): SshDaemon {
    if (!this.sshd) throw new Error('fake Gerrit started with ssh: false');
    return this.sshd;
  }

  // ---- clock ----

  setTime(time: Date | number | string): void {
    this.clock.set(time);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  now(): number {
    return this.clock.now();
  }

  /** A time in Gerrit's REST format (`2026-11-27 03:00:00.000000000`), default now. */
  timestamp(ms = this.clock.now()): string {
    return gerritTimestamp(ms);
  }

  // ---- changes ----

  private buildPatchSet(change: Change, input: PatchSetInput, fallbackNumber: number): PatchSet {
    const number = input.number ?? fallbackNumber;
    const previous = change.patchSets[change.patchSets.length - 1];
    const uploader = input.uploader === undefined ? change.owner : this.accounts.resolve(input.uploader, change.owner.username);
    return {
      number,
      revision: input.revision ?? fakeSha(`${change.project}~${change.number}~${number}~${this.store.nextId('rev')}`),
      kind: input.kind ?? 'REWORK',
      ref: refOf(change.number, number),
      parent: input.parent ?? previous?.parent ?? fakeSha(`parent:${change.project}:${change.branch}`),
      commitMessage: input.commitMessage ?? previous?.commitMessage ?? `${change.subject}\n\nChange-Id: ${change.changeId}\n`,
      uploader,
      created: this.clock.now(),
      files: input.files.map(storeFile),
      unchanged: new Map(Object.entries(input.unchanged ?? {}).map(([p, c]) => [p, Buffer.from(typeof c === 'string' ? Buffer.from(c) : c)])),
    };
  }

  private ref(change: Change): ChangeRef {
    return {
      project: change.project,
      number: change.number,
      changeId: change.changeId,
      id: `${encodeURIComponent(change.project)}~${change.number}`,
      revisions: change.patchSets.map((p) => p.revision),
    };
  }

  addChange(input: AddChangeInput): ChangeRef {
    if (this.store.get(input.project, input.number)) throw new Error(`change ${input.project}~${input.number} exists`);
    if (input.patchSets.length === 0) throw new Error('a change needs at least one patch set');
    const now = this.clock.now();
    const change: Change = {
      project: input.project,
      branch: input.branch ?? 'master',
      number: input.number,
      changeId: input.changeId ?? newChangeId(input.project, input.number),
      subject: input.subject,
      owner: this.accounts.resolve(input.owner, 'alice'),
      status: input.status ?? 'NEW',
      wip: input.wip ?? false,
      ...(input.topic ? { topic: input.topic } : {}),
      created: now,
      updated: now,
      patchSets: [],
      messages: [],
      comments: [],
      votes: new Map(),
    };
    for (const ps of input.patchSets) {
      const built = this.buildPatchSet(change, ps, change.patchSets.length + 1);
      change.patchSets.push(built);
      this.uploadedMessage(change, built);
    }
    this.store.changes.push(change);
    return this.ref(change);
  }

  private uploadedMessage(change: Change, ps: PatchSet): void {
    change.messages.push({
      id: this.store.nextId(''),
      author: ps.uploader,
      date: ps.created,
      message: `Uploaded patch set ${ps.number}.`,
      tag: change.wip ? 'autogenerated:gerrit:newWipPatchSet' : 'autogenerated:gerrit:newPatchSet',
      _revision_number: ps.number,
    });
  }

  /** Uploads a new patch set (new revision sha; `number` defaults to the next one). Does not emit an event. */
  addPatchSet(project: string, number: number, input: PatchSetInput): ChangeRef & { patchSet: number; revision: string } {
    const change = this.change(project, number);
    const ps = this.buildPatchSet(change, input, currentPatchSet(change).number + 1);
    change.patchSets.push(ps);
    change.updated = ps.created;
    this.uploadedMessage(change, ps);
    return { ...this.ref(change), patchSet: ps.number, revision: ps.revision };
  }

  /** The stored change (throws when unknown). */
  change(project: string, number: number): Change {
    const change = this.store.get(project, number);
    if (!change) throw new Error(`no change ${project}~${number} in the fake`);
    return change;
  }

  setWip(project: string, number: number, wip: boolean): void {
    const change = this.change(project, number);
    change.wip = wip;
    change.updated = this.clock.now();
  }

  setStatus(project: string, number: number, status: Change['status']): void {
    const change = this.change(project, number);
    change.status = status;
    change.updated = this.clock.now();
  }

  /** Published comments (CommentInfo, with `path`) of a change, in posting order. Robot comments included. */
  comments(project: string, number: number): Array<Record<string, unknown>> {
    return this.change(project, number).comments.map(commentInfo);
  }

  /** The stored comments (internal form, with the author Account). */
  storedComments(project: string, number: number): StoredComment[] {
    return this.change(project, number).comments;
  }

  /** A comment from someone else (a human reply, say), published on a patch set (default current). */
  addComment(project: string, number: number, comment: { path: string; line?: number; message: string; author?: string; unresolved?: boolean; inReplyTo?: string; patchSet?: number; tag?: string }): string {
    const change = this.change(project, number);
    const ps = comment.patchSet ? change.patchSets.find((p) => p.number === comment.patchSet) : currentPatchSet(change);
    if (!ps) throw new Error(`no patch set ${comment.patchSet}`);
    const id = this.store.nextId('');
    change.comments.push({
      id,
      path: comment.path,
      author: this.accounts.get(comment.author ?? change.owner.username),
      patch_set: ps.number,
      commit_id: ps.revision,
      ...(comment.line ? { line: comment.line } : {}),
      ...(comment.inReplyTo ? { in_reply_to: comment.inReplyTo } : {}),
      message: comment.message,
      unresolved: comment.unresolved ?? false,
      updated: this.clock.now(),
      ...(comment.tag ? { tag: comment.tag } : {}),
      change_message_id: id,
    });
    change.updated = this.clock.now();
    return id;
  }

  /** Change messages of a change (ChangeMessageInfo-like, with the Account). */
  messages(project: string, number: number): Change['messages'] {
    return this.change(project, number).messages;
  }

  // ---- failure injection ----

  /** The next matching request(s) fail with `status` (e.g. 503 bursts with `times`, 429, 409). */
  failNext(spec: FailureSpec): void {
    this.failures.push({ ...spec });
  }

  /** Every response is delayed by `ms` (0 turns it off). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  // ---- events ----

  /**
   * Sends an event to every connected `stream-events` client (as one JSON line) and records it in `events`.
   * When the event names a known change, its `updated` time moves to now (what a catch-up query sees).
   * Returns the number of streams it was written to.
   */
  emit(event: GerritEvent | Record<string, unknown>, options: EmitOptions = {}): number {
    const e = event as GerritEvent;
    this.events.push(e);
    const change = e.change as { project?: unknown; number?: unknown } | undefined;
    if (change && typeof change.project === 'string') {
      const stored = this.store.get(change.project, Number(change.number));
      if (stored) stored.updated = Math.max(stored.updated, this.clock.now());
    }
    const wire = options.asStrings ? numbersAsStrings(e) : e;
    return this.sshd?.broadcast(e, JSON.stringify(wire)) ?? 0;
  }

  /** A `patchset-created` event for patch set `ps` (default current) of a stored change. */
  patchsetCreatedEvent(project: string, number: number, ps?: number, options: { kind?: string; uploader?: string } = {}): GerritEvent {
    const change = this.change(project, number);
    const patchSet = ps === undefined ? currentPatchSet(change) : change.patchSets.find((p) => p.number === ps);
    if (!patchSet) throw new Error(`no patch set ${ps} on ${project}~${number}`);
    const uploader = options.uploader ? this.accounts.get(options.uploader) : patchSet.uploader;
    return {
      ...changeEventBase('patchset-created', change, this.url, this.clock.now()),
      patchSet: patchSetAttribute(change, patchSet, options.kind, uploader),
      uploader: eventAccount(uploader),
    };
  }

  emitPatchsetCreated(project: string, number: number, ps?: number, options: { kind?: string; uploader?: string; asStrings?: boolean } = {}): GerritEvent {
    const event = this.patchsetCreatedEvent(project, number, ps, options);
    this.emit(event, options);
    return event;
  }

  /**
   * A `comment-added` event: `comment` is the cover message as Gerrit sends it ("Patch Set N:\n\n<text>"); the
   * message is also stored on the change (so REST and catch-up see it). `approvals` as `{type: value}`.
   */
  emitCommentAdded(project: string, number: number, ps: number | undefined, comment: string, author: string, options: { approvals?: Record<string, number>; asStrings?: boolean; tag?: string } = {}): GerritEvent {
    const change = this.change(project, number);
    const patchSet = ps === undefined ? currentPatchSet(change) : change.patchSets.find((p) => p.number === ps);
    if (!patchSet) throw new Error(`no patch set ${ps} on ${project}~${number}`);
    const account = this.accounts.get(author);
    const now = this.clock.now();
    const approvals = Object.entries(options.approvals ?? {});
    const votes = approvals.map(([l, v]) => `${l}${v > 0 ? '+' : ''}${v}`).join(' ');
    const message = `Patch Set ${patchSet.number}:${votes ? ` ${votes}` : ''}\n\n${comment}`;
    change.messages.push({ id: this.store.nextId(''), author: account, date: now, message, ...(options.tag ? { tag: options.tag } : {}), _revision_number: patchSet.number });
    change.updated = now;
    const event: GerritEvent = {
      ...changeEventBase('comment-added', change, this.url, now),
      patchSet: patchSetAttribute(change, patchSet),
      author: eventAccount(account),
      approvals: approvals.map(([type, value]) => ({ type, description: type, value: String(value) })),
      comment: message,
    };
    this.emit(event, options);
    return event;
  }

  /** A `wip-state-changed` event; sets the change's WIP state first. */
  emitWipStateChanged(project: string, number: number, wip: boolean, changer?: string, options: EmitOptions = {}): GerritEvent {
    const change = this.change(project, number);
    this.setWip(project, number, wip);
    const event: GerritEvent = {
      ...changeEventBase('wip-state-changed', change, this.url, this.clock.now()),
      patchSet: patchSetAttribute(change, currentPatchSet(change)),
      changer: eventAccount(this.accounts.get(changer ?? change.owner.username)),
    };
    this.emit(event, options);
    return event;
  }

  /** What the webhooks plugin would POST for this event: JSON body, `Content-Type`, `X-Origin-Url`. */
  webhookBody(event: GerritEvent | Record<string, unknown>): { body: string; headers: Record<string, string>; json: unknown } {
    return { body: JSON.stringify(event), headers: { 'Content-Type': 'application/json', 'X-Origin-Url': this.url }, json: event };
  }

  // ---- SSH control ----

  /** Closes every SSH connection abruptly (socket destroyed). */
  dropStreams(): void {
    this.sshd?.dropAll();
  }

  /** Refuses new SSH connections (port closed) for `ms`; resolves when the port is open again. */
  refuseSsh(ms: number): Promise<void> {
    return this.sshDaemon().refuse(ms);
  }

  /** Open `gerrit stream-events` channels. */
  streamClients(): number {
    return this.sshd?.streamCount() ?? 0;
  }

  /** Open SSH connections (authenticated or not). */
  sshConnections(): number {
    return this.sshd?.connectionCount() ?? 0;
  }

  /** Stop (true) or resume answering keepalive requests; `keepalives` counts those received. */
  stallKeepalives(stalled = true): void {
    this.sshDaemon().stallKeepalives = stalled;
  }

  get keepalives(): number {
    return this.sshd?.keepalives ?? 0;
  }

  /** Commands run over SSH, in order. */
  get sshCommands(): Array<{ user: string; command: string }> {
    return this.sshd?.commands ?? [];
  }

  /** Resolves when `n` stream-events clients are connected (polls; rejects after `timeoutMs`). */
  async waitForStreams(n = 1, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.streamClients() < n) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${n} stream-events client(s), have ${this.streamClients()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Clears changes, logs, reviews, events, failures and delay; keeps accounts, keys and settings. */
  reset(): void {
    this.store.clear();
    this.requests.length = 0;
    this.reviews.length = 0;
    this.events.length = 0;
    this.failures.length = 0;
    this.delayMs = 0;
  }
}

export async function startFakeGerrit(options: FakeGerritOptions = {}): Promise<FakeGerrit> {
  const fake = new FakeGerrit(options);
  await fake.start();
  return fake;
}
