/**
 * GitHub's published GraphQL schema (@octokit/graphql-schema's introspection result, updated from GitHub), built
 * once per process on first use (~200 ms): the fake validates and executes queries against it, so a field or
 * argument GitHub does not have fails here as it would there.
 */
import { readFileSync } from 'node:fs';
import { buildClientSchema, parse, validate, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let schema: GraphQLSchema | undefined;

export function githubSchema(): GraphQLSchema {
  if (schema === undefined) {
    const url = new URL('./schema.json', import.meta.resolve('@octokit/graphql-schema'));
    const introspection = JSON.parse(readFileSync(url, 'utf8')) as IntrospectionQuery | { data: IntrospectionQuery };
    schema = buildClientSchema('data' in introspection ? introspection.data : introspection);
  }
  return schema;
}

/** The messages of GitHub's schema validation for a document (empty when it is valid). */
export function schemaErrors(query: string): string[] {
  try {
    return validate(githubSchema(), parse(query)).map((e) => e.message);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}
