/**
 * Settings extraction with the same isolation rules get: an extractor bug on one file is reported for that file
 * and the other files are still reviewed. Extraction runs over all files at once first (cross-file resolution,
 * e.g. a THT parameter default defined in another template); only when that fails is it retried per file, to
 * name the file that breaks it.
 */
import type { FileError } from '../model/finding.js';
import type { Knowledge } from '../model/knowledge.js';
import type { ParsedFile } from '../model/parsed-file.js';
import type { Setting } from '../model/setting.js';
import { extractSettings } from '../settings/extract-settings.js';

export function extractSettingsSafely(files: ParsedFile[], knowledge: Knowledge, errors: FileError[]): Setting[] {
  try {
    return extractSettings(files, knowledge);
  } catch {
    const settings: Setting[] = [];
    for (const file of files) {
      try {
        settings.push(...extractSettings([file], knowledge));
      } catch (e) {
        errors.push({
          path: file.path,
          message: `settings could not be read from this file: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    }
    return settings;
  }
}
