/**
 * The arithmetic of httpd's threaded MPMs (server/mpm/event/event.c, worker.c check_config), applied in httpd's
 * order to one group of directives, with the defaults of whichever source wrote them. Kept apart from rule.ts so
 * the rule reads as "group, compute, report".
 */
import type { Setting } from '../../src/model/setting.js';

export interface MpmValue {
  setting: Setting;
  /** The literal number; undefined for an expression, which makes every check that needs it stay silent. */
  exact: number | undefined;
}

export interface MpmGroup {
  source: 'httpd' | 'puppetlabs-apache';
  mpm: 'event' | 'worker' | 'any';
  /** Lower-case directive -> value; `maxclients` already renamed `maxrequestworkers`. */
  values: Map<string, MpmValue>;
}

export interface Correction {
  setting: Setting;
  message: string;
}

type Defaults = Record<'threadsperchild' | 'threadlimit' | 'serverlimit' | 'minsparethreads' | 'maxsparethreads', number> & {
  /** undefined: httpd's own default, ServerLimit x ThreadsPerChild. */
  maxrequestworkers?: number;
};

const HTTPD: Defaults = { threadsperchild: 25, threadlimit: 64, serverlimit: 16, minsparethreads: 75, maxsparethreads: 250 };
const PUPPET_EVENT: Defaults = { threadsperchild: 25, threadlimit: 64, serverlimit: 25, minsparethreads: 25, maxsparethreads: 75 };
const PUPPET_WORKER: Defaults = { ...PUPPET_EVENT, maxrequestworkers: 150 };

const NAMES: Record<string, string> = {
  threadsperchild: 'ThreadsPerChild',
  threadlimit: 'ThreadLimit',
  serverlimit: 'ServerLimit',
  maxrequestworkers: 'MaxRequestWorkers',
  minsparethreads: 'MinSpareThreads',
  maxsparethreads: 'MaxSpareThreads',
};

/** Every correction httpd would make to this group, each on the setting that should change. */
export function effectiveSizing(group: MpmGroup): Correction[] {
  const defaults = group.source === 'httpd' ? HTTPD : group.mpm === 'worker' ? PUPPET_WORKER : PUPPET_EVENT;
  const out: Correction[] = [];
  /** The number in force for a directive: written literal, else the source's default; undefined if unknowable. */
  const get = (d: keyof Defaults): number | undefined => {
    const v = group.values.get(d);
    return v !== undefined ? v.exact : defaults[d];
  };
  const name = (d: string): string => {
    const written = group.values.get(d);
    const label = group.source === 'httpd' ? (NAMES[d] ?? d) : d;
    return written === undefined ? `${label} (default)` : label;
  };
  /** The first of `candidates` written in this group: where the fix belongs. */
  const anchor = (...candidates: string[]): Setting | undefined =>
    candidates.map((c) => group.values.get(c)?.setting).find((s) => s !== undefined);

  const limit = get('threadlimit');
  let threads = get('threadsperchild');
  if (threads !== undefined && limit !== undefined && threads > limit) {
    const at = anchor('threadsperchild', 'threadlimit');
    if (at) {
      out.push({
        setting: at,
        message:
          `${name('threadsperchild')} ${threads} exceeds ${name('threadlimit')} ${limit}: httpd lowers it to ${limit} ` +
          `at start-up, so each process runs ${limit} threads. Raise ThreadLimit or lower ThreadsPerChild.`,
      });
    }
    threads = limit;
  }
  if (threads === undefined || threads <= 0) return out;

  const servers = get('serverlimit');
  const written = group.values.get('maxrequestworkers');
  const workers = written !== undefined ? written.exact : (defaults.maxrequestworkers ?? (servers ?? 0) * threads);
  if (workers !== undefined && (written !== undefined || defaults.maxrequestworkers !== undefined)) {
    const steps: string[] = [];
    const fixes: string[] = [];
    const perChild = `${name('threadsperchild')} ${threads}`;
    let effective = workers;
    if (effective < threads) {
      effective = threads;
      steps.push(`is below ${perChild}, so httpd raises it to ${effective}`);
      fixes.push(`set MaxRequestWorkers to at least ${threads}`);
    } else if (effective % threads !== 0) {
      effective = Math.floor(effective / threads) * threads;
      steps.push(`is not a multiple of ${perChild}, so httpd rounds it down to ${effective}`);
      fixes.push(`set MaxRequestWorkers to a multiple of ${threads} (${effective} or ${effective + threads})`);
    }
    if (servers !== undefined && effective / threads > servers) {
      const needed = effective / threads;
      effective = servers * threads;
      steps.push(`needs ${needed} processes but ${name('serverlimit')} is ${servers}, so httpd caps it at ${effective}`);
      fixes.push(`raise ServerLimit to ${needed} or lower MaxRequestWorkers to ${effective}`);
    }
    const at = anchor('maxrequestworkers', 'threadsperchild', 'serverlimit');
    if (steps.length > 0 && at) {
      out.push({
        setting: at,
        message:
          `${name('maxrequestworkers')} ${workers} ${steps.join(', and ')}: the server handles at most ${effective} ` +
          `requests at once, not ${workers}. To size it on purpose, ${fixes.join('; ')}.`,
      });
    }
  }

  const minSpare = get('minsparethreads');
  const maxSpare = get('maxsparethreads');
  if (minSpare !== undefined && maxSpare !== undefined && maxSpare < minSpare + threads) {
    const at = anchor('maxsparethreads', 'minsparethreads', 'threadsperchild');
    if (at) {
      out.push({
        setting: at,
        message:
          `${name('maxsparethreads')} ${maxSpare} is below ${name('minsparethreads')} ${minSpare} + ThreadsPerChild ` +
          `${threads}: httpd raises it to ${minSpare + threads}, or it would kill and respawn processes in a loop. ` +
          `Set MaxSpareThreads to at least ${minSpare + threads}.`,
      });
    }
  }
  return out;
}
