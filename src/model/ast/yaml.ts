/** YAML tree (owned by src/parsers/yaml.ts). Placeholder until the parser lands. */
export interface YamlFile { documents: unknown[] }
