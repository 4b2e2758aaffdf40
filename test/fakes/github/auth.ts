/**
 * Authentication as GitHub does it for Apps: a generated RSA key pair, RS256 JWTs signed by the app's private key
 * (iss = app id, at most 10 minutes long) for the `/app` endpoints, installation tokens (`ghs_...`, one hour) made
 * by `POST /app/installations/:id/access_tokens`, and registered personal or Actions tokens for the GITHUB_TOKEN
 * mode.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { LIMITS } from './limits.js';

export type TokenKind = 'installation' | 'github-actions' | 'personal';

export interface TokenInfo {
  token: string;
  kind: TokenKind;
  installationId?: number;
  /** Epoch ms; undefined = never expires. */
  expiresAt?: number;
  permissions: Record<string, string>;
  /** Repositories the token may reach (`owner/name`, lower case); undefined = all of the installation's. */
  repositories?: string[];
  /** Login a personal token writes as. */
  login?: string;
}

export interface Installation {
  id: number;
  /** Account login; undefined = the default installation, answering for any owner. */
  account?: string;
  permissions: Record<string, string>;
  events: string[];
  repositorySelection: 'all' | 'selected';
  repositories?: string[];
}

export const DEFAULT_PERMISSIONS: Record<string, string> = {
  checks: 'write',
  contents: 'read',
  metadata: 'read',
  pull_requests: 'write',
};

export interface AppKeys {
  /** PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), what GitHub hands out when you generate an app key. */
  privateKey: string;
  /** The same key as PKCS#8 (`BEGIN PRIVATE KEY`). */
  privateKeyPkcs8: string;
  publicKey: KeyObject;
}

export function generateAppKeys(): AppKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    privateKeyPkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(privateKey),
  };
}

export function newToken(prefix: 'ghs_' | 'ghp_'): string {
  return prefix + randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36);
}

export type JwtResult = { ok: true; appId: string } | { ok: false; message: string };

const UNDECODABLE = 'A JSON web token could not be decoded';

/** Checks a JWT like GitHub: RS256 over the app's public key, iss = app id, iat in the past, exp ≤ 10 minutes. */
export function verifyAppJwt(jwt: string, appId: number, publicKey: KeyObject, nowSeconds: number): JwtResult {
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, message: UNDECODABLE };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let payload: { iss?: unknown; iat?: unknown; exp?: unknown };
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: UNDECODABLE };
  }
  if (header.alg !== 'RS256') return { ok: false, message: UNDECODABLE };
  const signed = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'));
  if (!signed) return { ok: false, message: UNDECODABLE };
  if (String(payload.iss) !== String(appId)) {
    return { ok: false, message: `'Issuer' claim ('iss') must be an Integer` };
  }
  if (typeof payload.iat !== 'number' || payload.iat > nowSeconds + 60) {
    return {
      ok: false,
      message: `'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.`,
    };
  }
  if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
    return {
      ok: false,
      message: `'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.`,
    };
  }
  if (payload.exp > nowSeconds + LIMITS.maxJwtLifetimeSeconds + 60) {
    return { ok: false, message: `'Expiration time' claim ('exp') is too far in the future.` };
  }
  return { ok: true, appId: String(payload.iss) };
}

/** `Authorization` header -> scheme and credential (`token x`, `Bearer x`, `bearer x`). */
export function parseAuthorization(header: string | undefined): { scheme: string; credential: string } | undefined {
  if (!header) return undefined;
  const m = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return { scheme: m[1].toLowerCase(), credential: m[2].trim() };
}

export function looksLikeJwt(credential: string): boolean {
  return credential.split('.').length === 3;
}
