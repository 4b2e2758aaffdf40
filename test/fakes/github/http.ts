/**
 * Shared plumbing of the fake: the route table type, the context a handler gets, GitHub-shaped replies and errors,
 * and pagination with `Link` headers as GitHub writes them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Installation, TokenInfo } from './auth.js';
import type { FakeState, UserObject } from './state.js';
import { DOCS, LIMITS } from './limits.js';

export interface Reply {
  status: number;
  body?: unknown;
  /** A non-JSON body (raw file contents, diffs). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'app'; appId: string }
  | { kind: 'installation' | 'github-actions' | 'personal'; token: TokenInfo };

/** What handlers see of the fake itself. */
export interface Core {
  readonly state: FakeState;
  readonly appId: number;
  readonly appSlug: string;
  readonly appName: string;
  readonly installations: Map<number, Installation>;
  readonly tokens: Map<string, TokenInfo>;
  readonly url: string;
  /** The user an identity writes as. */
  userFor(identity: Identity): UserObject;
  createInstallationToken(installationId: number, request?: { repositories?: string[]; permissions?: Record<string, string> }): TokenInfo;
  installationFor(owner: string): Installation | undefined;
}

export interface Ctx {
  core: Core;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  identity: Identity;
  params: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  pattern: RegExp;
  /** `app`: an App JWT; `repo`: a token that reaches `params.owner/params.repo`; `token`: any token. */
  auth: 'app' | 'repo' | 'token';
  handler: Handler;
  /** Documentation page GitHub names in its errors for this route. */
  docs?: string;
}

export function route(method: string, path: string, auth: Route['auth'], handler: Handler, docs?: string): Route {
  // `:name` matches one segment, `*name` the rest of the path (content paths).
  const source = path
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/:(\w+)/g, (_m, name: string) => (name === 'number' || name === 'id' ? `(?<${name}>\\d+)` : `(?<${name}>[^/]+)`))
    .replace(/\*(\w+)/g, (_m, name: string) => `(?<${name}>.+)`);
  return { method, pattern: new RegExp(`^${source}$`), auth, handler, ...(docs ? { docs } : {}) };
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, ...(headers ? { headers } : {}) };
}

/** A GitHub error body: `{message, documentation_url, status}` plus `errors` when given. */
export function error(status: number, message: string, extra: Record<string, unknown> = {}, docs = DOCS): Reply {
  return { status, body: { message, ...extra, documentation_url: docs, status: String(status) } };
}

export const notFound = (): Reply => error(404, 'Not Found');

/** 422 the way GitHub's schema validation answers ("Invalid request.\n\n..."). */
export const invalidRequest = (detail: string, docs?: string): Reply => error(422, `Invalid request.\n\n${detail}`, {}, docs);

/** 422 "Validation Failed" with one structured error. */
export function validationFailed(resource: string, field: string, code: string, message?: string, docs?: string): Reply {
  return error(422, 'Validation Failed', { errors: [{ resource, field, code, ...(message ? { message } : {}) }] }, docs);
}

export function pageParams(query: Record<string, string>): { perPage: number; page: number } {
  const perPage = Math.min(Math.max(Number.parseInt(query.per_page ?? '', 10) || LIMITS.defaultPerPage, 1), LIMITS.maxPerPage);
  const page = Math.max(Number.parseInt(query.page ?? '', 10) || 1, 1);
  return { perPage, page };
}

/** One page of `items` with GitHub's `Link` header (prev, next, last, first as they apply). */
export function paginate<T>(ctx: Ctx, items: T[], wrap?: (page: T[]) => unknown): Reply {
  const { perPage, page } = pageParams(ctx.query);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number): string => {
    const q = new URLSearchParams({ ...ctx.query, per_page: String(perPage), page: String(p) });
    return `<${ctx.core.url}${ctx.path}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
  if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) links.push(`${link(1)}; rel="first"`);
  return json(200, wrap ? wrap(slice) : slice, links.length ? { link: links.join(', ') } : undefined);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function bodyOf(ctx: Ctx): Record<string, unknown> {
  return isRecord(ctx.body) ? ctx.body : {};
}

export function wantsMediaType(ctx: Ctx, format: 'diff' | 'patch' | 'raw'): boolean {
  const accept = String(ctx.headers.accept ?? '');
  return new RegExp(`application/vnd\\.github(?:\\.v3)?\\.${format}\\b`).test(accept);
}
