/**
 * Every parsed file of a change -> its settings, by format. One entry point for the engine; each format's
 * extractor is a file of its own.
 */
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';
import { extractApache } from './extract-apache.js';
import { extractHeat } from './extract-heat.js';
import { extractHiera } from './extract-hiera.js';
import { extractIni } from './extract-ini.js';
import { extractPuppet } from './extract-puppet.js';
import { extractPython } from './extract-python.js';
import { extractUwsgi } from './extract-uwsgi.js';

export function extractSettings(files: readonly ParsedFile[], knowledge: Knowledge): Setting[] {
  return files.flatMap((file) => extractFile(file, knowledge));
}

export function extractFile(file: ParsedFile, knowledge: Knowledge): Setting[] {
  switch (file.kind) {
    case 'puppet':
      return extractPuppet(file.path, file.text, file.tree, knowledge);
    case 'hiera':
      return extractHiera(file.path, file.text, file.tree, knowledge);
    case 'heat':
    case 'heat-env':
      return extractHeat(file.path, file.text, file.tree, knowledge);
    case 'ansible':
      // Ansible / kolla variables name no Puppet class; nothing in knowledge maps them yet.
      return [];
    case 'ini':
      return extractIni(file.path, file.tree, knowledge);
    case 'uwsgi':
      return [...extractUwsgi(file.path, file.tree, knowledge), ...extractIni(file.path, file.tree, knowledge)];
    case 'apache':
      return extractApache(file.path, file.tree, knowledge);
    case 'python':
      return extractPython(file.path, file.text, file.tree, knowledge);
  }
}
