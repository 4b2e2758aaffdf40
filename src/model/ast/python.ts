/** Python tree (owned by src/parsers/python.ts). Placeholder until the parser lands. */
export interface PythonModule { root: unknown }
