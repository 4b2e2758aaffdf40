/** Apache httpd configuration tree (owned by src/parsers/apache.ts). Placeholder until the parser lands. */
export interface ApacheConfig { directives: unknown[] }
