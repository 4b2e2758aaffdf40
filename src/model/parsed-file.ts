/** A file of the change after parsing: its kind, text and tree. Built once per file and shared by all rules. */
import type { ParseError } from './parse-result.js';
import type { PuppetProgram } from './ast/puppet.js';
import type { YamlFile } from './ast/yaml.js';
import type { IniFile } from './ast/ini.js';
import type { ApacheConfig } from './ast/apache.js';
import type { PythonModule } from './ast/python.js';

interface ParsedBase {
  path: string;
  text: string;
  errors: ParseError[];
}

export type ParsedFile =
  | (ParsedBase & { kind: 'puppet'; tree: PuppetProgram })
  | (ParsedBase & { kind: 'hiera' | 'heat' | 'heat-env' | 'ansible'; tree: YamlFile })
  | (ParsedBase & { kind: 'ini' | 'uwsgi'; tree: IniFile })
  | (ParsedBase & { kind: 'apache'; tree: ApacheConfig })
  | (ParsedBase & { kind: 'python'; tree: PythonModule });
