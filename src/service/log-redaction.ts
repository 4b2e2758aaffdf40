/**
 * What the service's logger (pino, as Probot logs) never writes: the GitHub App's private key and webhook secret,
 * Gerrit's password, webhook token and SSH key, tokens of any kind, and Authorization / Cookie headers — under the
 * names the code uses (ServiceConfig: `privateKey`, `webhookSecret`, `password`, `webhookToken`), the environment's
 * (`PRIVATE_KEY`, `GERRIT_PASSWORD`, ...) and the ones libraries use for requests and errors (`headers.authorization`,
 * `request.headers.authorization`), at any depth up to REDACT_DEPTH below a logged object.
 *
 * Pino's redaction works on property paths, not on text: never put a secret into a message string.
 */
import type { LoggerOptions } from 'pino';

/** Property names whose values are replaced wherever they appear (up to REDACT_DEPTH levels down). */
export const SECRET_KEYS = [
  'privateKey',
  'private_key',
  'PRIVATE_KEY',
  'webhookSecret',
  'WEBHOOK_SECRET',
  'secret',
  'password',
  'GERRIT_PASSWORD',
  'webhookToken',
  'GERRIT_WEBHOOK_TOKEN',
  'token',
  'accessToken',
  'access_token',
  'GITHUB_TOKEN',
  'jwt',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
] as const;

/** How deep below the logged object a secret is still found (`{ config: { gerrit: { ssh: { privateKey } } } }` is 4). */
export const REDACT_DEPTH = 5;

export const CENSOR = '[REDACTED]';

/** The pino `redact.paths`: every secret key at every depth from 0 to REDACT_DEPTH. */
export function redactPaths(keys: readonly string[] = SECRET_KEYS, depth = REDACT_DEPTH): string[] {
  const paths: string[] = [];
  for (const key of keys) {
    const leaf = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
    for (let d = 0; d <= depth; d += 1) {
      const prefix = '*.'.repeat(d);
      paths.push(leaf.startsWith('[') ? (d === 0 ? leaf : `${prefix.slice(0, -1)}${leaf}`) : `${prefix}${leaf}`);
    }
  }
  return paths;
}

/** The redaction part of the service's pino options. */
export function redactOptions(): NonNullable<LoggerOptions['redact']> {
  return { paths: redactPaths(), censor: CENSOR };
}
