/**
 * Gerrit's SSH daemon, reduced to what a bot uses: public-key authentication only (passwords and keyboard-interactive
 * are refused), `gerrit stream-events [-s TYPE ...]` streaming one JSON event per line, `gerrit version`, and
 * "fatal: ..." with exit status 1 for anything else. Keepalive global requests are answered (as OpenSSH's sshd
 * does, with a failure reply) unless a test stalls them. Connections come through our own net.Server so a test can
 * drop every socket abruptly or refuse connections (the port is closed, then reopened) for a while.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { createServer, type Server as NetServer } from 'node:net';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import ssh2 from 'ssh2';
import type { GerritEvent } from './events.js';

const { Server, utils } = ssh2;

export interface KeyPair {
  /** OpenSSH private key (for ssh2's `privateKey`). */
  private: string;
  /** `ssh-ed25519 AAAA... comment` line (for authorized_keys / known_hosts). */
  public: string;
}

/**
 * A fresh ed25519 key pair. ssh2's generator writes the public key's 32 bytes as an integer and drops leading zero
 * bytes (about 1 key in 250), which its own parser then rejects as "Malformed OpenSSH public key"; such a pair is
 * drawn again so tests do not fail at random.
 */
export function generateKeyPair(comment = 'fake-gerrit'): KeyPair {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.public) instanceof Error)) return { private: pair.private, public: pair.public };
  }
}

function parsePublic(key: string | Buffer): ParsedKey {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first) throw new Error('no key');
  return first as ParsedKey;
}

interface Stream {
  user: string;
  client: Connection;
  channel: ServerChannel;
  /** Event types asked for with -s; empty = all. */
  filters: string[];
}

export interface SshInfo {
  host: string;
  port: number;
  /** The host's public key as a known_hosts line body (`ssh-ed25519 AAAA...`). */
  hostKey: string;
  /** `SHA256:<base64>` of the host key, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** The raw host key blob (what ssh2's `hostVerifier` receives). */
  hostKeyBlob: Buffer;
  /** The bot's username (the REST user). */
  user: string;
}

export interface SshDaemonOptions {
  user: string;
  version: () => string;
  onExec?: (user: string, command: string) => void;
}

/** Splits a command line the way a shell would for simple quoted words. */
function words(command: string): string[] {
  return (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

export class SshDaemon {
  readonly info: SshInfo;
  /** username -> authorized public keys */
  readonly keys = new Map<string, ParsedKey[]>();
  /** Users without the Stream Events capability. */
  readonly denied = new Set<string>();
  /** Keepalive global requests received. */
  keepalives = 0;
  /** While true, keepalive requests get no reply (a hung server or a black-holed connection). */
  stallKeepalives = false;
  /** Commands executed, in order. */
  readonly commands: Array<{ user: string; command: string }> = [];
  private readonly server: InstanceType<typeof Server>;
  private listener: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Connection>();
  private readonly streams = new Set<Stream>();
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: SshDaemonOptions) {
    const host = generateKeyPair('fake-gerrit-host');
    const parsed = parsePublic(host.public);
    const blob = parsed.getPublicSSH();
    this.info = {
      host: '127.0.0.1',
      port: 0,
      hostKey: host.public.split(' ').slice(0, 2).join(' '),
      hostKeyFingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
      hostKeyBlob: Buffer.from(blob),
      user: options.user,
    };
    this.server = new Server({ hostKeys: [host.private] }, (client) => this.onClient(client));
  }

  async start(): Promise<void> {
    await this.listen(0);
  }

  private listen(port: number): Promise<void> {
    const listener = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
      this.server.injectSocket(socket);
    });
    this.listener = listener;
    return new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, this.info.host, () => {
        this.info.port = (listener.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  authorize(user: string, publicKey: string | Buffer): void {
    const list = this.keys.get(user) ?? [];
    list.push(parsePublic(publicKey));
    this.keys.set(user, list);
  }

  private onClient(client: Connection): void {
    this.connections.add(client);
    let user = '';
    client.on('close', () => {
      this.connections.delete(client);
      for (const s of this.streams) if (s.client === client) this.streams.delete(s);
    });
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') {
        ctx.reject(['publickey']);
        return;
      }
      const presented = ctx.key.data;
      const known = (this.keys.get(ctx.username) ?? []).find((k) => Buffer.from(k.getPublicSSH()).equals(presented));
      if (!known) {
        ctx.reject(['publickey']);
        return;
      }
      if (ctx.signature && ctx.blob) {
        if (known.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
          ctx.reject(['publickey']);
          return;
        }
        user = ctx.username;
      }
      ctx.accept();
    });
    // ssh2's server answers keepalive@openssh.com itself (a failure reply, as sshd does) without telling us; wrap
    // its handler to count keepalives and, when stalled, to leave them unanswered (a hung server).
    const protocol = (client as unknown as { _protocol?: { _handlers?: Record<string, (...args: unknown[]) => unknown> } })._protocol;
    const handlers = protocol?._handlers;
    const original = handlers?.GLOBAL_REQUEST;
    if (handlers && original) {
      handlers.GLOBAL_REQUEST = (...args: unknown[]) => {
        if (args[1] === 'keepalive@openssh.com') {
          this.keepalives++;
          if (this.stallKeepalives) return undefined;
        }
        return original(...args);
      };
    }
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('pty', (accept) => accept?.());
        session.on('shell', (_accept, reject) => reject?.());
        session.on('exec', (accept, _reject, info) => {
          const channel = accept();
          this.exec(client, user, info.command, channel);
        });
      });
    });
  }

  private exec(client: Connection, user: string, command: string, channel: ServerChannel): void {
    this.commands.push({ user, command });
    this.options.onExec?.(user, command);
    const argv = words(command);
    const fail = (message: string): void => {
      channel.stderr.write(`fatal: ${message}\n`);
      channel.exit(1);
      channel.end();
    };
    if (argv[0] !== 'gerrit') {
      fail(`${argv[0] ?? ''}: not found`);
      return;
    }
    if (argv[1] === 'version') {
      channel.write(`gerrit version ${this.options.version()}\n`);
      channel.exit(0);
      channel.end();
      return;
    }
    if (argv[1] !== 'stream-events') {
      fail(`gerrit: ${argv[1] ?? ''}: not found`);
      return;
    }
    if (this.denied.has(user)) {
      fail(`${user} does not have "Stream Events" capability.`);
      return;
    }
    const filters: string[] = [];
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i] as string;
      if (a === '-s' || a === '--subscribe') {
        const type = argv[i + 1];
        if (!type) {
          fail(`Option "${a}" takes an operand`);
          return;
        }
        filters.push(type);
        i++;
      } else {
        fail(`"${a}" is not a valid option`);
        return;
      }
    }
    const stream: Stream = { user, client, channel, filters };
    this.streams.add(stream);
    channel.on('close', () => this.streams.delete(stream));
    channel.on('error', () => this.streams.delete(stream));
  }

  /** Writes the event as one JSON line to every stream subscribed to its type. */
  broadcast(event: GerritEvent | Record<string, unknown>, line: string): number {
    let sent = 0;
    for (const s of this.streams) {
      if (s.filters.length && !s.filters.includes(String(event.type))) continue;
      s.channel.write(`${line}\n`);
      sent++;
    }
    return sent;
  }

  streamCount(): number {
    return this.streams.size;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  /** Destroys every TCP connection abruptly (no SSH disconnect message, no channel EOF). */
  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.streams.clear();
  }

  /** Closes the listening port for `ms` (new connections get ECONNREFUSED), then reopens it on the same port. */
  refuse(ms: number): Promise<void> {
    const port = this.info.port;
    this.listener?.close();
    this.listener = undefined;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    return new Promise((resolve) => {
      this.reopenTimer = setTimeout(() => {
        this.reopenTimer = undefined;
        if (this.closed) {
          resolve();
          return;
        }
        this.listen(port).then(resolve, resolve);
      }, ms);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.dropAll();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await new Promise<void>((r) => listener.close(() => r()));
  }
}
