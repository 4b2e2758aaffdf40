/** GitHub App endpoints: the app itself, its installations and installation access tokens (JWT auth). */
import type { Installation } from './auth.js';
import type { Core, Route } from './http.js';
import { bodyOf, error, json, notFound, paginate, route } from './http.js';
import { repoJson, user, WEB } from './render.js';

function installationJson(core: Core, inst: Installation, owner?: string): Record<string, unknown> {
  const login = inst.account ?? owner ?? 'heartbeat-org';
  return {
    id: inst.id,
    account: user(login, 5000 + inst.id, 'User'),
    app_id: core.appId,
    app_slug: core.appSlug,
    target_type: 'Organization',
    target_id: 5000 + inst.id,
    repository_selection: inst.repositorySelection,
    permissions: inst.permissions,
    events: inst.events,
    access_tokens_url: `${core.url}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${core.url}/installation/repositories`,
    html_url: `${WEB}/settings/installations/${inst.id}`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    suspended_at: null,
  };
}

export const appRoutes: Route[] = [
  route('GET', '/app', 'app', ({ core }) =>
    json(200, {
      id: core.appId,
      slug: core.appSlug,
      node_id: `A_${core.appId}`,
      name: core.appName,
      owner: user('heartbeat-org', 4000, 'User'),
      description: 'Fake GitHub App',
      external_url: 'https://example.org',
      html_url: `${WEB}/apps/${core.appSlug}`,
      permissions: [...core.installations.values()][0]?.permissions ?? {},
      events: [...core.installations.values()][0]?.events ?? [],
      installations_count: core.installations.size,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
    }),
  ),
  route('GET', '/app/installations', 'app', (ctx) =>
    paginate(ctx, [...ctx.core.installations.values()].map((i) => installationJson(ctx.core, i))),
  ),
  route('GET', '/app/installations/:id', 'app', ({ core, params }) => {
    const inst = core.installations.get(Number(params.id));
    return inst ? json(200, installationJson(core, inst)) : notFound();
  }),
  route(
    'POST',
    '/app/installations/:id/access_tokens',
    'app',
    (ctx) => {
      const inst = ctx.core.installations.get(Number(ctx.params.id));
      if (!inst) return notFound();
      const body = bodyOf(ctx);
      const repositories = Array.isArray(body.repositories) ? body.repositories.map(String) : undefined;
      const permissions = typeof body.permissions === 'object' && body.permissions ? (body.permissions as Record<string, string>) : undefined;
      for (const [name, level] of Object.entries(permissions ?? {})) {
        const granted = inst.permissions[name];
        if (!granted || (level === 'write' && granted !== 'write')) {
          return error(422, `The permissions requested are not granted to this installation.`);
        }
      }
      const token = ctx.core.createInstallationToken(inst.id, {
        ...(repositories ? { repositories } : {}),
        ...(permissions ? { permissions } : {}),
      });
      return json(201, {
        token: token.token,
        expires_at: new Date(token.expiresAt ?? Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: token.permissions,
        repository_selection: repositories ? 'selected' : inst.repositorySelection,
        ...(repositories
          ? { repositories: repositories.map((name, i) => repoJson(ctx.core, { owner: inst.account ?? 'heartbeat-org', name, id: 9000 + i })) }
          : {}),
      });
    },
    'https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app',
  ),
  route('GET', '/repos/:owner/:repo/installation', 'app', ({ core, params }) => {
    const inst = core.installationFor(params.owner ?? '');
    if (!inst) return notFound();
    const allowed = inst.repositorySelection === 'all' || (inst.repositories ?? []).includes(`${params.owner}/${params.repo}`.toLowerCase());
    return allowed ? json(200, installationJson(core, inst, params.owner)) : notFound();
  }),
  route('GET', '/orgs/:owner/installation', 'app', ({ core, params }) => {
    const inst = core.installationFor(params.owner ?? '');
    return inst ? json(200, installationJson(core, inst, params.owner)) : notFound();
  }),
  route('GET', '/users/:owner/installation', 'app', ({ core, params }) => {
    const inst = core.installationFor(params.owner ?? '');
    return inst ? json(200, installationJson(core, inst, params.owner)) : notFound();
  }),
  route('GET', '/installation/repositories', 'token', (ctx) => {
    const repos = [...ctx.core.state.repos.values()].map((r) => repoJson(ctx.core, r));
    return paginate(ctx, repos, (page) => ({ total_count: repos.length, repository_selection: 'all', repositories: page }));
  }),
  route('GET', '/rate_limit', 'token', () => json(200, { resources: {}, rate: {} })),
];
