/** INI tree (owned by src/parsers/ini.ts). Placeholder until the parser lands. */
export interface IniFile { sections: unknown[] }
