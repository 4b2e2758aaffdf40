/**
 * `POST /graphql` (`/api/graphql` on GitHub Enterprise): queries parsed, validated and executed by graphql-js
 * against GitHub's published schema (graphql-schema.ts) over the fake's state (graphql-data.ts). Answers as
 * GitHub does: 200 with `{"data": ...}`, or with `{"errors": [...]}` for parse, validation and resolution errors
 * (`type` NOT_FOUND, MISSING_PAGINATION_BOUNDARIES, EXCESSIVE_PAGINATION, MAX_NODE_LIMIT_EXCEEDED), 401 without
 * a token. Rate limits are applied by server.ts (200 with RATE_LIMITED). Mutations are not implemented: the bot
 * writes through REST.
 */
import { execute, getNamedType, Kind, parse, TypeInfo, validate, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLError, type ValueNode } from 'graphql';
import { queryRoot } from './graphql-data.js';
import { githubSchema } from './graphql-schema.js';
import type { Ctx, Reply, Route } from './http.js';
import { bodyOf, json, route } from './http.js';
import { LIMITS } from './limits.js';

const DOCS = 'https://docs.github.com/graphql';

interface ErrorJson {
  message: string;
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
}

function errorJson(e: GraphQLError): ErrorJson {
  const type = (e.originalError as { githubType?: string } | undefined)?.githubType ?? (e as { githubType?: string }).githubType;
  return {
    ...(type ? { type } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    message: e.message,
  };
}

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

/**
 * GitHub's static query limits: every connection whose nodes or edges are selected needs `first` or `last`
 * (at most 100), and the nodes a query may return (the products of nested `first`/`last`) must stay within
 * 500,000.
 */
export function limitErrors(document: DocumentNode, variables: Record<string, unknown>): ErrorJson[] {
  const errors: ErrorJson[] = [];
  const typeInfo = new TypeInfo(githubSchema());
  const stack: number[] = [1];
  let total = 0;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node: FieldNode) {
          const type = typeInfo.getType();
          const named = type ? getNamedType(type).name : '';
          const parent = stack[stack.length - 1] ?? 1;
          if (!named.endsWith('Connection')) {
            stack.push(parent);
            return;
          }
          const arg = (name: string) => intValue(node.arguments?.find((a) => a.name.value === name)?.value, variables);
          const first = arg('first');
          const last = arg('last');
          const pages = (node.selectionSet?.selections ?? []).some((s) => s.kind === Kind.FIELD && (s.name.value === 'nodes' || s.name.value === 'edges'));
          const name = node.name.value;
          if (first === undefined && last === undefined && pages) {
            errors.push({ type: 'MISSING_PAGINATION_BOUNDARIES', message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.` });
          }
          for (const [which, n] of [['first', first], ['last', last]] as const) {
            if (n !== undefined && (n < 0 || n > LIMITS.graphqlMaxPage)) {
              errors.push({ type: 'EXCESSIVE_PAGINATION', message: `Requesting ${n} records on the \`${name}\` connection exceeds the \`${which}\` limit of ${LIMITS.graphqlMaxPage} records.` });
            }
          }
          const mult = parent * (first ?? last ?? 1);
          if (pages) total += mult;
          stack.push(mult);
        },
        leave() {
          stack.pop();
        },
      },
    }),
  );
  if (total > LIMITS.graphqlMaxNodes) {
    errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${total.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${LIMITS.graphqlMaxNodes.toLocaleString('en-US')}.`,
    });
  }
  return errors;
}

/** Whether the caller's token reaches a repository (what the REST routes check for `repo` routes). */
function canRead(ctx: Ctx, owner: string, name: string): boolean {
  const id = ctx.identity;
  if (id.kind === 'anonymous' || id.kind === 'app') return false;
  const full = `${owner}/${name}`.toLowerCase();
  const t = id.token;
  if (t.repositories && !t.repositories.includes(full) && !t.repositories.includes(name.toLowerCase())) return false;
  if (t.installationId !== undefined) {
    const inst = ctx.core.installations.get(t.installationId);
    if (!inst) return false;
    if (inst.account && inst.account.toLowerCase() !== owner.toLowerCase()) return false;
    if (inst.repositorySelection === 'selected' && !(inst.repositories ?? []).includes(full)) return false;
  }
  return true;
}

/** The operation's name, from the body or the document (`query Name(...)`), for logs and failure injection. */
export function operationName(body: unknown): string | undefined {
  const b = (body ?? {}) as { operationName?: unknown; query?: unknown };
  if (typeof b.operationName === 'string') return b.operationName;
  if (typeof b.query !== 'string') return undefined;
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(b.query)?.[1];
}

export function isMutation(body: unknown): boolean {
  const q = (body ?? {}) as { query?: unknown };
  return typeof q.query === 'string' && /^\s*mutation\b/.test(q.query);
}

async function run(ctx: Ctx): Promise<Reply> {
  const body = bodyOf(ctx);
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    return json(200, { errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
  }
  const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (e) {
    return json(200, { errors: [errorJson(e as GraphQLError)] });
  }
  const invalid = validate(githubSchema(), document);
  if (invalid.length > 0) return json(200, { errors: invalid.map(errorJson) });
  if (document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== 'query')) {
    return json(200, { errors: [{ message: 'fake GitHub: only queries are implemented' }] });
  }
  const limits = limitErrors(document, variables);
  if (limits.length > 0) return json(200, { errors: limits });
  const viewer = ctx.core.userFor(ctx.identity).login;
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue: queryRoot(ctx.core, viewer, (owner, name) => canRead(ctx, owner, name)),
    variableValues: variables,
    ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
  });
  return json(200, { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors?.length ? { errors: result.errors.map(errorJson) } : {}) });
}

export const graphqlRoutes: Route[] = [route('POST', '/graphql', 'token', run, DOCS)];

