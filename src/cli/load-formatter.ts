/** The formatter of an output format, imported only when chosen: start-up pays for one format, not four. */
import type { Formatter } from '../formats/report.js';
import type { OutputFormat } from './parse-args.js';

export async function loadFormatter(format: OutputFormat): Promise<Formatter> {
  switch (format) {
    case 'text':
      return (await import('../formats/format-text.js')).formatText;
    case 'json':
      return (await import('../formats/format-json.js')).formatJson;
    case 'sarif':
      return (await import('../formats/format-sarif.js')).formatSarif;
    case 'rdjson':
      return (await import('../formats/format-rdjson.js')).formatRdjson;
  }
}
