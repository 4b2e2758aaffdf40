/**
 * Gerrit's part of the service environment (CONTRACTS.md §3), called by readEnv: GERRIT_URL enables Gerrit, the
 * other GERRIT_* variables say how events arrive (SSH stream-events, the webhooks plugin, else polling) and what is
 * reviewed. Like the rest of readEnv: one problem per bad variable, naming it; secrets (password, token, key
 * material) are never quoted; an unusable combination (GERRIT_SSH without a key) is a problem, so the service
 * refuses to start rather than run without its event source.
 */
import ssh2 from 'ssh2';

export interface GerritSshConfig {
  host: string;
  port: number;
  user: string;
  /** The private key's text (read from GERRIT_SSH_KEY at start). */
  privateKey: string;
  /** Where it was read from, for logs. */
  keyPath: string;
  /**
   * The host key to expect (GERRIT_SSH_HOST_KEY): an OpenSSH public key `ssh-ed25519 AAAA...` (as in
   * known_hosts, without the host names) or a fingerprint `SHA256:...` (as `ssh-keygen -lf` prints it).
   * Absent: any host key is accepted (and logged).
   */
  hostKey?: string;
}

export interface GerritServiceConfig {
  /** Base URL without a trailing slash, e.g. `https://review.opendev.org`. */
  url: string;
  /** REST credentials (used under `/a/`); absent: anonymous, read-only, so reviews run as a dry run. */
  user?: string;
  password?: string;
  /** Label to vote with (GERRIT_LABEL); no vote when absent. */
  label?: string;
  /** The bot's documentation page that OpenDev asks every comment to link (GERRIT_ABOUT_URL). */
  aboutUrl?: string;
  /** Project names or globs to review (GERRIT_PROJECTS); absent: all. */
  projects?: string[];
  /** Review work-in-progress changes too (GERRIT_REVIEW_WIP). */
  reviewWip: boolean;
  /** `gerrit stream-events` over SSH (GERRIT_SSH). */
  ssh?: GerritSshConfig;
  /** Enables `POST /gerrit/events?token=` (GERRIT_WEBHOOK_TOKEN). */
  webhookToken?: string;
  /** Interval of the catch-up query when there is neither SSH nor a webhook token (GERRIT_POLL_SECONDS). */
  pollSeconds: number;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];
export const DEFAULT_GERRIT_SSH_PORT = 29418;
export const DEFAULT_POLL_SECONDS = 60;
const MIN_TOKEN_LENGTH = 16;

const GERRIT_VARIABLES = [
  'GERRIT_USER',
  'GERRIT_PASSWORD',
  'GERRIT_SSH',
  'GERRIT_SSH_USER',
  'GERRIT_SSH_KEY',
  'GERRIT_SSH_HOST_KEY',
  'GERRIT_WEBHOOK_TOKEN',
  'GERRIT_PROJECTS',
  'GERRIT_LABEL',
  'GERRIT_POLL_SECONDS',
  'GERRIT_REVIEW_WIP',
  'GERRIT_ABOUT_URL',
] as const;

export function readGerritEnv(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
  notes: string[],
): GerritServiceConfig | undefined {
  const rawUrl = get('GERRIT_URL');
  if (rawUrl === undefined) {
    const set = GERRIT_VARIABLES.filter((name) => get(name) !== undefined);
    if (set.length > 0) notes.push(`${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but GERRIT_URL is not: Gerrit is disabled`);
    return undefined;
  }
  const before = problems.length;

  let url: string | undefined;
  try {
    const parsed = new URL(rawUrl);
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.search === '' && parsed.hash === '' && parsed.username === '' && parsed.password === '') {
      url = parsed.href.replace(/\/+$/, '');
      // The REST API is under /a/ of the base; a base that already ends in /a would double it.
      if (/\/a$/.test(url)) {
        problems.push(`GERRIT_URL: must be Gerrit's base URL (e.g. https://review.opendev.org), without the /a/ of the REST API: '${rawUrl}'`);
        url = undefined;
      }
    } else {
      problems.push(`GERRIT_URL: must be an http(s) base URL such as https://review.opendev.org, without credentials, query or fragment`);
    }
  } catch {
    problems.push(`GERRIT_URL: must be an absolute http(s) URL such as https://review.opendev.org, not '${rawUrl}'`);
  }

  const user = get('GERRIT_USER');
  const password = get('GERRIT_PASSWORD');
  if (user !== undefined && !/^[^\s:]+$/.test(user)) problems.push(`GERRIT_USER: must be a Gerrit user name (no spaces or ':'), not '${user}'`);
  if (user !== undefined && password === undefined) {
    problems.push("GERRIT_PASSWORD: GERRIT_USER is set, so set the account's HTTP password (Settings -> HTTP Credentials) to post reviews");
  } else if (password !== undefined && user === undefined) {
    problems.push('GERRIT_USER: GERRIT_PASSWORD is set, so set the user name it belongs to');
  } else if (user === undefined) {
    notes.push('GERRIT_URL is set without GERRIT_USER and GERRIT_PASSWORD: Gerrit is read anonymously and reviews are only logged (dry run)');
  }

  let label: string | undefined;
  const rawLabel = get('GERRIT_LABEL');
  if (rawLabel !== undefined) {
    if (/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(rawLabel)) label = rawLabel;
    else problems.push(`GERRIT_LABEL: must be a label name such as Verified (letters, digits and '-'), not '${rawLabel}'`);
  }

  let aboutUrl: string | undefined;
  const rawAbout = get('GERRIT_ABOUT_URL');
  if (rawAbout !== undefined) {
    if (/^https?:\/\/\S+$/.test(rawAbout)) aboutUrl = rawAbout;
    else problems.push(`GERRIT_ABOUT_URL: must be an http(s) URL of the bot's page (e.g. https://wiki.openstack.org/wiki/ThirdPartySystems/Heartbeat_Bot), not '${rawAbout}'`);
  }

  let projects: string[] | undefined;
  const rawProjects = get('GERRIT_PROJECTS');
  if (rawProjects !== undefined) {
    const list = rawProjects.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const bad = list.filter((p) => /\s/.test(p) || p.startsWith('/') || p.endsWith('/') || p.includes('~'));
    if (bad.length > 0) problems.push(`GERRIT_PROJECTS: must be comma-separated project names or globs such as openstack/puppet-*, not '${bad[0]}'`);
    else if (list.length === 0) problems.push('GERRIT_PROJECTS: is empty; leave it unset to review every project');
    else projects = list;
  }

  let reviewWip = false;
  const rawWip = get('GERRIT_REVIEW_WIP')?.toLowerCase();
  if (rawWip !== undefined) {
    if (TRUE.includes(rawWip)) reviewWip = true;
    else if (!FALSE.includes(rawWip)) problems.push(`GERRIT_REVIEW_WIP: must be true or false, not '${rawWip}'`);
  }

  const ssh = readSsh(get, readFile, user, problems, notes);

  let webhookToken: string | undefined;
  const rawToken = get('GERRIT_WEBHOOK_TOKEN');
  if (rawToken !== undefined) {
    // Never quoted: it is the only thing that authenticates the webhooks plugin.
    if (rawToken.length < MIN_TOKEN_LENGTH || /\s/.test(rawToken) || !/^[\x21-\x7e]+$/.test(rawToken)) {
      problems.push(`GERRIT_WEBHOOK_TOKEN: must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces (e.g. openssl rand -hex 32)`);
    } else webhookToken = rawToken;
  }

  let pollSeconds = DEFAULT_POLL_SECONDS;
  const rawPoll = get('GERRIT_POLL_SECONDS');
  if (rawPoll !== undefined) {
    if (/^\d+$/.test(rawPoll) && Number(rawPoll) >= 5 && Number(rawPoll) <= 86_400) pollSeconds = Number(rawPoll);
    else problems.push(`GERRIT_POLL_SECONDS: must be a whole number of seconds from 5 to 86400, not '${rawPoll}'`);
    if (get('GERRIT_SSH') !== undefined || rawToken !== undefined) {
      notes.push('GERRIT_POLL_SECONDS has no effect: events come from GERRIT_SSH or GERRIT_WEBHOOK_TOKEN, so Gerrit is not polled');
    }
  }

  if (problems.length > before || url === undefined) return undefined;
  return {
    url,
    ...(user !== undefined && password !== undefined ? { user, password } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(aboutUrl !== undefined ? { aboutUrl } : {}),
    ...(projects !== undefined ? { projects } : {}),
    reviewWip,
    ...(ssh !== undefined ? { ssh } : {}),
    ...(webhookToken !== undefined ? { webhookToken } : {}),
    pollSeconds,
  };
}

function readSsh(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  restUser: string | undefined,
  problems: string[],
  notes: string[],
): GerritSshConfig | undefined {
  const address = get('GERRIT_SSH');
  const sshUser = get('GERRIT_SSH_USER') ?? restUser;
  const keyPath = get('GERRIT_SSH_KEY');
  const rawHostKey = get('GERRIT_SSH_HOST_KEY');
  if (address === undefined) {
    const set = [get('GERRIT_SSH_USER') && 'GERRIT_SSH_USER', keyPath && 'GERRIT_SSH_KEY', rawHostKey && 'GERRIT_SSH_HOST_KEY'].filter(Boolean);
    if (set.length > 0) notes.push(`${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but GERRIT_SSH is not: events do not come from stream-events`);
    return undefined;
  }
  const before = problems.length;

  const hostPort = parseHostPort(address);
  if (hostPort === undefined) {
    problems.push(`GERRIT_SSH: must be host:port of Gerrit's SSH daemon, e.g. review.opendev.org:29418, not '${address}'`);
  }
  if (sshUser === undefined) problems.push('GERRIT_SSH_USER: GERRIT_SSH is set, so set the SSH user (or GERRIT_USER, which it defaults to)');
  else if (!/^[^\s@:]+$/.test(sshUser)) problems.push(`GERRIT_SSH_USER: must be a Gerrit user name, not '${sshUser}'`);

  let privateKey: string | undefined;
  if (keyPath === undefined) {
    problems.push('GERRIT_SSH_KEY: GERRIT_SSH is set, so set the path of the private key whose public half is in the account (Settings -> SSH Keys)');
  } else {
    let text: string | undefined;
    try {
      text = readFile(keyPath);
    } catch (error) {
      const code = (error as { code?: string }).code;
      problems.push(`GERRIT_SSH_KEY: cannot read '${keyPath}'${code !== undefined ? ` (${code})` : ''}`);
    }
    if (text !== undefined) {
      const parsed = ssh2.utils.parseKey(text);
      if (parsed instanceof Error) {
        const why = /encrypted/i.test(parsed.message) ? 'is encrypted; use a key without a passphrase' : 'does not hold an SSH private key (OpenSSH or PEM)';
        problems.push(`GERRIT_SSH_KEY: '${keyPath}' ${why}`);
      } else if (!(Array.isArray(parsed) ? parsed[0] : parsed)?.isPrivateKey()) {
        problems.push(`GERRIT_SSH_KEY: '${keyPath}' holds a public key; set the private key's path`);
      } else privateKey = text;
    }
  }

  let hostKey: string | undefined;
  if (rawHostKey !== undefined) {
    hostKey = normaliseHostKey(rawHostKey);
    if (hostKey === undefined) {
      problems.push(
        "GERRIT_SSH_HOST_KEY: must be the server's public key as in known_hosts (e.g. 'ssh-ed25519 AAAA...') or its fingerprint 'SHA256:...' (ssh-keyscan -p 29418 HOST | ssh-keygen -lf -)",
      );
    }
  }

  if (problems.length > before || hostPort === undefined || sshUser === undefined || privateKey === undefined || keyPath === undefined) return undefined;
  return { ...hostPort, user: sshUser, privateKey, keyPath, ...(hostKey !== undefined ? { hostKey } : {}) };
}

/** `host:port`, `host` (port 29418), `[v6]:port` or `[v6]`. */
export function parseHostPort(value: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(value);
  if (m === null) return undefined;
  const host = m[1] ?? m[2];
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_GERRIT_SSH_PORT;
  if (host === undefined || host === '' || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/**
 * GERRIT_SSH_HOST_KEY as `<type> <base64>` (a known_hosts line's host names and a trailing comment dropped) or
 * `SHA256:<base64 without padding>`; undefined when it is neither.
 */
export function normaliseHostKey(value: string): string | undefined {
  const fingerprint = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(value);
  if (fingerprint !== null) return `SHA256:${fingerprint[1]}`;
  const words = value.split(/\s+/);
  const at = words.findIndex((w) => /^(ssh-|ecdsa-|sk-)/.test(w));
  const type = at >= 0 ? words[at] : undefined;
  const blob = at >= 0 ? words[at + 1] : undefined;
  if (type === undefined || blob === undefined) return undefined;
  const parsed = ssh2.utils.parseKey(`${type} ${blob}`);
  if (parsed instanceof Error || Array.isArray(parsed)) return undefined;
  return `${type} ${blob}`;
}
