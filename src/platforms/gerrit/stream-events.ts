/**
 * `gerrit stream-events` over SSH (ssh2): public-key authentication, the server's host key verified when one is
 * configured, keepalive, line-delimited JSON parsed across chunk boundaries (a bad line is logged and skipped),
 * and on close or error a reconnect after an exponential backoff with jitter, for ever until stop().
 *
 * Emits 'event' (the parsed JSON object), 'connected' (after the command started: the wiring runs the catch-up
 * query for what was missed), 'disconnected' (reason) and 'error' (only when someone listens).
 *
 * The SSH stream has no delivery guarantee (platforms.md §3.1): events during an outage are lost, hence the
 * catch-up on every (re)connect.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import ssh2, { type ClientChannel } from 'ssh2';

// ssh2 is CommonJS: its named exports are not visible to ESM.
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;
import type { GerritLog } from './types.js';

export const STREAM_COMMAND = 'gerrit stream-events -s patchset-created -s comment-added -s wip-state-changed';
/** A line longer than this is no event of ours (a runaway): dropped. */
const MAX_LINE = 4 * 1024 * 1024;

export interface StreamEventsOptions {
  host: string;
  port: number;
  user: string;
  privateKey: string | Buffer;
  passphrase?: string;
  /**
   * The expected host key: an OpenSSH public key line (`ssh-ed25519 AAAA...`, as in known_hosts with or without
   * the host name), its base64 blob, or a `SHA256:...` fingerprint. Unset: any host key is accepted (logged).
   */
  hostKey?: string;
  keepaliveMs?: number;
  /** Missed keepalives before the connection counts as dead (default 3). */
  keepaliveCountMax?: number;
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  readyTimeoutMs?: number;
  command?: string;
  log: GerritLog;
}

/** Splits chunks into lines, keeping a partial last line for the next chunk. */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Buffer | string): string[] {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    if (this.rest.length > MAX_LINE) this.rest = '';
    return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  }

  reset(): void {
    this.rest = '';
  }
}

/** The base64 key blob of an expected host key given in any of the accepted forms; or a SHA256 fingerprint. */
export function expectedHostKey(hostKey: string): { blob: Buffer } | { sha256: string } {
  const text = hostKey.trim();
  if (/^SHA256:/i.test(text)) return { sha256: text.slice(7).replace(/=+$/, '') };
  const fields = text.split(/\s+/);
  // `[host]:port ssh-ed25519 AAAA...`, `ssh-ed25519 AAAA... comment`, or the bare blob.
  const typeAt = fields.findIndex((f) => /^(ssh-|ecdsa-|sk-)/.test(f));
  const blob = typeAt >= 0 ? fields[typeAt + 1] : fields[0];
  return { blob: Buffer.from(blob ?? '', 'base64') };
}

/** Whether the server's key (the raw blob ssh2 hands to hostVerifier) is the expected one. */
export function hostKeyMatches(key: Buffer, expected: string): boolean {
  const want = expectedHostKey(expected);
  if ('sha256' in want) {
    const got = createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
    return got.length === want.sha256.length && timingSafeEqual(Buffer.from(got), Buffer.from(want.sha256));
  }
  return want.blob.length === key.length && want.blob.length > 0 && timingSafeEqual(want.blob, key);
}

/** Backoff before reconnect attempt `attempt` (1-based): base·2^(n-1) capped, with equal jitter. */
export function reconnectDelay(attempt: number, backoff: { baseMs: number; maxMs: number }, random: () => number): number {
  const exp = Math.min(backoff.baseMs * 2 ** Math.max(0, attempt - 1), backoff.maxMs);
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export class StreamEvents extends EventEmitter {
  /** The command is running and its output read. */
  connected = false;
  /** Reconnect attempts made (not the first connection). */
  reconnects = 0;
  /** Lines that were not JSON objects. */
  badLines = 0;
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  /** Consecutive failures since the last successful start (drives the backoff). */
  private failures = 0;
  private readonly splitter = new LineSplitter();

  constructor(private readonly opts: StreamEventsOptions) {
    super();
    if (opts.hostKey !== undefined && opts.hostKey.trim() !== '') {
      const want = expectedHostKey(opts.hostKey);
      if ('blob' in want && want.blob.length === 0) throw new Error('GERRIT_SSH host key: not an OpenSSH public key, base64 key or SHA256: fingerprint');
    }
    // A private key that cannot be parsed is a configuration error, said at start rather than on every retry.
    const parsed = utils.parseKey(opts.privateKey, opts.passphrase);
    if (parsed instanceof Error) throw new Error(`GERRIT_SSH_KEY: ${parsed.message}`);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection and cancels any reconnect; resolves when the socket is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(resolve, 2000);
      done.unref();
      client.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      client.end();
      // A connection that never finished its handshake may not emit 'close' after end().
      setImmediate(() => client.destroy());
    });
    if (this.connected) {
      this.connected = false;
      this.emit('disconnected', 'stopped');
    }
  }

  private connect(): void {
    const { log } = this.opts;
    const client = new Client();
    this.client = client;
    this.splitter.reset();
    let closedReason: string | undefined;
    const fail = (reason: string) => {
      closedReason ??= reason;
    };
    client.on('ready', () => {
      client.exec(this.opts.command ?? STREAM_COMMAND, (error, channel) => {
        if (error !== undefined && error !== null) {
          fail(`exec failed: ${error.message}`);
          client.end();
          return;
        }
        this.attach(channel, client, fail);
      });
    });
    client.on('error', (error: Error & { level?: string }) => {
      fail(error.level === 'client-authentication' ? `authentication failed for ${this.opts.user}: ${error.message}` : error.message);
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = undefined;
      const wasConnected = this.connected;
      this.connected = false;
      const reason = closedReason ?? 'connection closed';
      if (wasConnected) this.emit('disconnected', reason);
      if (this.stopped) return;
      this.failures++;
      const delay = reconnectDelay(this.failures, this.opts.backoff ?? { baseMs: 1000, maxMs: 60_000 }, this.opts.random ?? Math.random);
      log.warn({ host: this.opts.host, port: this.opts.port, reason, delayMs: delay, attempt: this.failures }, 'Gerrit stream-events: disconnected; reconnecting');
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.stopped) return;
        this.reconnects++;
        this.connect();
      }, delay);
    });
    const expected = this.opts.hostKey !== undefined && this.opts.hostKey.trim() !== '' ? this.opts.hostKey : undefined;
    client.connect({
      host: this.opts.host,
      port: this.opts.port,
      username: this.opts.user,
      privateKey: this.opts.privateKey,
      ...(this.opts.passphrase !== undefined ? { passphrase: this.opts.passphrase } : {}),
      keepaliveInterval: this.opts.keepaliveMs ?? 30_000,
      keepaliveCountMax: this.opts.keepaliveCountMax ?? 3,
      readyTimeout: this.opts.readyTimeoutMs ?? 20_000,
      hostVerifier: (key: Buffer) => {
        if (expected === undefined) {
          log.warn({ host: this.opts.host, fingerprint: `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` }, 'Gerrit stream-events: host key not verified (GERRIT_SSH host key not configured)');
          return true;
        }
        const ok = hostKeyMatches(key, expected);
        if (!ok) {
          fail(`host key mismatch: the server's key SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')} is not the configured one`);
          log.error({ host: this.opts.host, port: this.opts.port }, 'Gerrit stream-events: host key mismatch; refusing the connection');
        }
        return ok;
      },
    });
  }

  private attach(channel: ClientChannel, client: Client, fail: (reason: string) => void): void {
    this.connected = true;
    this.failures = 0;
    this.opts.log.info({ host: this.opts.host, port: this.opts.port, reconnects: this.reconnects }, 'Gerrit stream-events: connected');
    this.emit('connected');
    channel.on('data', (chunk: Buffer) => {
      for (const line of this.splitter.push(chunk)) {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = undefined;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          this.badLines++;
          this.opts.log.warn({ line: line.slice(0, 200) }, 'Gerrit stream-events: not a JSON event; skipped');
          continue;
        }
        try {
          this.emit('event', value);
        } catch (error) {
          this.opts.log.error({ error: error instanceof Error ? error.message : String(error) }, 'Gerrit stream-events: event listener failed');
        }
      }
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8').trim();
      if (text !== '') {
        fail(`gerrit stream-events: ${text.slice(0, 300)}`);
        this.opts.log.warn({ stderr: text.slice(0, 300) }, 'Gerrit stream-events: the server said');
      }
    });
    channel.on('close', () => {
      fail('the stream-events command ended');
      client.end();
    });
  }
}
