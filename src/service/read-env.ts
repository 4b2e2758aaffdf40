/**
 * The service's configuration from its environment (CONTRACTS.md §3), validated up front: every bad variable gives
 * one problem naming it and what it must be, so a misconfigured service fails at start, not at its first webhook.
 *
 * Pure: takes the environment as an object and, for PRIVATE_KEY_PATH, a file reader. Problems never quote the
 * private key or the webhook secret.
 */

import { readGerritEnv, type GerritServiceConfig } from './gerrit-env.js';

export type { GerritServiceConfig, GerritSshConfig } from './gerrit-env.js';

export interface GitHubAppConfig {
  appId: number;
  /** PEM text of the App's private key. */
  privateKey: string;
  webhookSecret: string;
  /** REST API base URL for GitHub Enterprise Server (`<protocol>://<host>/api/v3`); absent for github.com. */
  baseUrl?: string;
  /** smee.io channel Probot would proxy webhooks from (development). */
  webhookProxyUrl?: string;
  /** GITHUB_WRITE_SPACING_MS: time between mutating requests per installation (default 1000, GitHub's advice). */
  writeSpacingMs?: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface ServiceConfig {
  port: number;
  host: string;
  /** Embedded state (the SQLite queue and history); checked creatable and writable at start by prepareDataDir. */
  dataDir: string;
  /** `redis://` or `rediss://` URL: the queue lives in Redis (BullMQ) and several instances can share it. */
  redisUrl?: string;
  /** QUEUE_LEASE_MS: how long a durable queue leases a job before another worker may take it (default the queue's, 60 s). */
  queueLeaseMs?: number;
  botName: string;
  docsUrl?: string;
  /**
   * PUBLIC_URL (an extension of CONTRACTS.md §3): where users reach this service, without a trailing slash. When set
   * and DOCS_URL is not, comments link to the service's own rule pages, `<PUBLIC_URL>/rules/<id>`.
   */
  publicUrl?: string;
  dryRun: boolean;
  logLevel: LogLevel;
  /** `LOG_FORMAT=pretty` for people at a terminal; JSON lines otherwise. */
  logFormat: 'json' | 'pretty';
  /** Present when APP_ID is set and everything GitHub needs is valid. */
  github?: GitHubAppConfig;
  /** Present when GERRIT_URL is set and every GERRIT_* variable is valid (gerrit-env.ts). */
  gerrit?: GerritServiceConfig;
}

export interface EnvResult {
  /** Absent when there are problems. */
  config?: ServiceConfig;
  /** One line per bad variable: `NAME: what is wrong`. */
  problems: string[];
  /** Things worth saying at start that do not stop it (nothing configured, a variable that has no effect). */
  notes: string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off', ''];

/** Reads and validates the environment; `readFile` reads PRIVATE_KEY_PATH and GERRIT_SSH_KEY (utf8), throwing when it cannot. */
export function readEnv(env: Env, readFile: (path: string) => string = () => {
  throw new Error('no file reader given');
}): EnvResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  let port = 3000;
  const rawPort = get('PORT');
  if (rawPort !== undefined) {
    if (/^\d+$/.test(rawPort) && Number(rawPort) <= 65535) port = Number(rawPort);
    else problems.push(`PORT: must be a port number from 0 to 65535, not '${rawPort}'`);
  }

  const host = get('HOST') ?? '0.0.0.0';
  if (/[\s/]/.test(host)) problems.push(`HOST: must be a host name or address to listen on, not '${host}'`);

  const botName = get('BOT_NAME') ?? 'heartbeat-bot';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(botName)) {
    problems.push(`BOT_NAME: must be 1 to 64 letters, digits, '.', '_' or '-' (it names the check run and comment markers), not '${botName}'`);
  }

  const docsUrl = get('DOCS_URL');
  if (docsUrl !== undefined && !isHttpUrl(docsUrl)) problems.push(`DOCS_URL: must be an absolute http(s) URL, not '${docsUrl}'`);

  const rawPublicUrl = get('PUBLIC_URL');
  let publicUrl: string | undefined;
  if (rawPublicUrl !== undefined) {
    if (isHttpUrl(rawPublicUrl) && !/[?#]/.test(rawPublicUrl)) publicUrl = rawPublicUrl.replace(/\/+$/, '');
    else problems.push(`PUBLIC_URL: must be the absolute http(s) URL users reach this service at (no query or fragment), e.g. https://heartbeat.example.org, not '${rawPublicUrl}'`);
  }

  let dryRun = false;
  const rawDryRun = (env['DRY_RUN'] ?? '').trim().toLowerCase();
  if (TRUE.includes(rawDryRun)) dryRun = true;
  else if (!FALSE.includes(rawDryRun)) problems.push(`DRY_RUN: must be true or false, not '${env['DRY_RUN']}'`);

  let logLevel: LogLevel = 'info';
  const rawLevel = get('LOG_LEVEL')?.toLowerCase();
  if (rawLevel !== undefined) {
    if ((LOG_LEVELS as readonly string[]).includes(rawLevel)) logLevel = rawLevel as LogLevel;
    else problems.push(`LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, not '${rawLevel}'`);
  }
  const rawFormat = get('LOG_FORMAT')?.toLowerCase();
  if (rawFormat !== undefined && rawFormat !== 'json' && rawFormat !== 'pretty') {
    problems.push(`LOG_FORMAT: must be json or pretty, not '${rawFormat}'`);
  }
  const logFormat = rawFormat === 'pretty' ? 'pretty' : 'json';

  const github = readGitHub(get, readFile, problems, notes);
  const gerrit = readGerritEnv(get, readFile, problems, notes);

  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined) {
    const why = redisUrlProblem(redisUrl);
    if (why !== undefined) problems.push(`REDIS_URL: ${why}`);
  }
  const rawLease = get('QUEUE_LEASE_MS');
  let queueLeaseMs: number | undefined;
  if (rawLease !== undefined) {
    if (/^\d+$/.test(rawLease) && Number(rawLease) >= 500 && Number(rawLease) <= 3_600_000) queueLeaseMs = Number(rawLease);
    else problems.push(`QUEUE_LEASE_MS: must be a number of milliseconds from 500 to 3600000, not '${rawLease}'`);
  }
  const dataDir = get('DATA_DIR') ?? './var';
  if (dataDir.includes('\0')) problems.push('DATA_DIR: must be a directory path');
  if (github === undefined && get('APP_ID') === undefined && get('GERRIT_URL') === undefined) {
    notes.push(
      'nothing to review: set APP_ID, WEBHOOK_SECRET and PRIVATE_KEY (or PRIVATE_KEY_PATH) to serve a GitHub App ' +
        '(see README "GitHub App"), or GERRIT_URL to review Gerrit changes (see README "Gerrit (review.opendev.org)"); ' +
        'only /healthz, /readyz, /metrics and the pages (/, /rules) are served',
    );
  }

  if (problems.length > 0) return { problems, notes };
  const config: ServiceConfig = {
    port,
    host,
    dataDir,
    ...(redisUrl !== undefined ? { redisUrl } : {}),
    ...(queueLeaseMs !== undefined ? { queueLeaseMs } : {}),
    botName,
    dryRun,
    logLevel,
    logFormat,
    ...(docsUrl !== undefined ? { docsUrl } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    ...(github !== undefined ? { github } : {}),
    ...(gerrit !== undefined ? { gerrit } : {}),
  };
  return { config, problems, notes };
}

function readGitHub(
  get: (name: string) => string | undefined,
  readFile: (path: string) => string,
  problems: string[],
  notes: string[],
): GitHubAppConfig | undefined {
  const rawAppId = get('APP_ID');
  const keyText = get('PRIVATE_KEY');
  const keyPath = get('PRIVATE_KEY_PATH');
  const secret = get('WEBHOOK_SECRET');
  const gheHost = get('GHE_HOST');
  const gheProtocol = get('GHE_PROTOCOL')?.toLowerCase();

  if (rawAppId === undefined) {
    const set = [keyText && 'PRIVATE_KEY', keyPath && 'PRIVATE_KEY_PATH', secret && 'WEBHOOK_SECRET', gheHost && 'GHE_HOST'].filter(Boolean);
    if (set.length > 0) notes.push(`${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but APP_ID is not: the GitHub App is disabled`);
    return undefined;
  }
  const before = problems.length;
  const appId = /^\d+$/.test(rawAppId) && Number(rawAppId) > 0 ? Number(rawAppId) : undefined;
  if (appId === undefined) problems.push(`APP_ID: must be the GitHub App's numeric id, not '${rawAppId}'`);

  let privateKey: string | undefined;
  if (keyText !== undefined && keyPath !== undefined) {
    problems.push('PRIVATE_KEY: set either PRIVATE_KEY or PRIVATE_KEY_PATH, not both');
  } else if (keyText !== undefined) {
    privateKey = readPem(keyText);
    if (privateKey === undefined) {
      problems.push('PRIVATE_KEY: is not a PEM private key (-----BEGIN ... PRIVATE KEY-----), nor one encoded in base64');
    }
  } else if (keyPath !== undefined) {
    let text: string | undefined;
    try {
      text = readFile(keyPath);
    } catch (error) {
      const code = (error as { code?: string }).code;
      problems.push(`PRIVATE_KEY_PATH: cannot read '${keyPath}'${code !== undefined ? ` (${code})` : ''}`);
    }
    if (text !== undefined) {
      privateKey = readPem(text);
      if (privateKey === undefined) problems.push(`PRIVATE_KEY_PATH: '${keyPath}' does not hold a PEM private key`);
    }
  } else {
    problems.push("PRIVATE_KEY: APP_ID is set, so set PRIVATE_KEY (the App's .pem, or it in base64) or PRIVATE_KEY_PATH");
  }

  if (secret === undefined) {
    problems.push("WEBHOOK_SECRET: APP_ID is set, so set the App's webhook secret (without it anyone can send events)");
  }

  let baseUrl: string | undefined;
  if (gheProtocol !== undefined && gheProtocol !== 'http' && gheProtocol !== 'https') {
    problems.push(`GHE_PROTOCOL: must be https or http, not '${gheProtocol}'`);
  }
  if (gheHost !== undefined) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(gheHost)) {
      problems.push(`GHE_HOST: must be a host name such as github.example.com (no scheme or path), not '${gheHost}'`);
    } else baseUrl = `${gheProtocol ?? 'https'}://${gheHost}/api/v3`;
  } else if (gheProtocol !== undefined) notes.push('GHE_PROTOCOL is set without GHE_HOST and has no effect');

  const proxy = get('WEBHOOK_PROXY_URL');
  if (proxy !== undefined && !isHttpUrl(proxy)) problems.push(`WEBHOOK_PROXY_URL: must be an absolute http(s) URL, not '${proxy}'`);

  const rawSpacing = get('GITHUB_WRITE_SPACING_MS');
  let writeSpacingMs: number | undefined;
  if (rawSpacing !== undefined) {
    const n = Number(rawSpacing);
    if (/^\d+$/.test(rawSpacing) && n <= 60_000) writeSpacingMs = n;
    else problems.push(`GITHUB_WRITE_SPACING_MS: must be a number of milliseconds from 0 to 60000, not '${rawSpacing}'`);
  }

  if (problems.length > before || appId === undefined || privateKey === undefined || secret === undefined) return undefined;
  return {
    appId,
    privateKey,
    webhookSecret: secret,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(proxy !== undefined ? { webhookProxyUrl: proxy } : {}),
    ...(writeSpacingMs !== undefined ? { writeSpacingMs } : {}),
  };
}

/** Why `value` is not a usable Redis URL (redis:// or rediss://, a host, a numeric database), or undefined. Never quotes a password. */
export function redisUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a redis:// or rediss:// URL such as redis://localhost:6379, and this one does not parse';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return `must be a redis:// or rediss:// URL such as redis://localhost:6379, not ${url.protocol}//...`;
  }
  if (url.hostname === '') return 'names no host (redis://<host>:<port>)';
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return `the path must be a database number (redis://host:6379/0), not '/${db}'`;
  return undefined;
}

/**
 * DATA_DIR made ready at start (not in the pure parser): created if missing, and written to once. Returns the problem
 * line (`DATA_DIR: ...`) when it cannot be, so the service refuses to start rather than fail at its first job.
 */
export async function prepareDataDir(dir: string): Promise<string | undefined> {
  const { mkdir, writeFile, rm } = await import('node:fs/promises');
  const { join, resolve } = await import('node:path');
  const probe = join(dir, `.write-test-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return `DATA_DIR: '${resolve(dir)}' cannot be created or written${code !== undefined ? ` (${code})` : ''}; set DATA_DIR to a writable directory`;
  }
}

/** PEM text as written, with `\n` escapes (one-line env files), or base64 of it, as Probot accepts; else undefined. */
function readPem(value: string): string | undefined {
  const pem = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----/;
  const text = value.includes('\\n') ? value.replaceAll('\\n', '\n') : value;
  if (pem.test(text)) return text.trim() + '\n';
  if (/^[A-Za-z0-9+/=\s]+$/.test(value)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    if (pem.test(decoded)) return decoded.trim() + '\n';
  }
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
