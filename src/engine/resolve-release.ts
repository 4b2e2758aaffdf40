/**
 * Which OpenStack series a review targets: `--release` > the repository config's `release` > the target branch
 * (`stable/wallaby`, `stable/2024.1`, `unmaintained/zed`, `wallaby-eol`) > the newest series known.
 *
 * Version-aware rules (nova's eventlet window, oslo.messaging option lifecycles) read the result, so an unknown
 * series named by a person (option or config) is an error listing the known ones, never a silent guess. A branch
 * is not named by a person for us: an unrecognised branch (`master`, `feature/x`, a series older than the
 * knowledge) falls back to the newest series.
 */
import type { Knowledge, SeriesInfo } from '../model/knowledge.js';
import type { Release } from '../model/release.js';

export interface ReleaseInputs {
  /** `--release` */
  option?: string;
  /** The repository config's `release`. */
  config?: string;
  /** The change's target branch. */
  branch?: string;
}

/** Thrown for a series nobody knows; the message lists the known ones. */
export class UnknownReleaseError extends Error {
  constructor(
    readonly series: string,
    readonly origin: 'option' | 'config',
    known: readonly string[],
  ) {
    super(
      `unknown OpenStack series '${series}' (from the ${origin === 'option' ? '--release option' : 'configuration'}); ` +
        `known series: ${known.join(', ')}`,
    );
    this.name = 'UnknownReleaseError';
  }
}

/** Branch names that carry a series: stable/<s>, unmaintained/<s>, <s>-eol, <s>-eom, <s>-em. */
const BRANCH_PATTERNS: readonly RegExp[] = [
  /^(?:refs\/heads\/)?(?:stable|unmaintained)\/([A-Za-z0-9.]+)$/,
  /^(?:refs\/(?:heads|tags)\/)?([A-Za-z0-9.]+)-(?:eol|eom|em)$/,
];

/** The series a branch name names, or undefined (`master`, topic branches). */
export function seriesOfBranch(branch: string): string | undefined {
  for (const pattern of BRANCH_PATTERNS) {
    const m = pattern.exec(branch.trim());
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

/** Resolves the release; throws UnknownReleaseError for an unknown option or config series. */
export function resolveRelease(inputs: ReleaseInputs, knowledge: Knowledge): Release {
  const known = knowledge.releases;
  const newest = known[known.length - 1];
  if (newest === undefined) throw new Error('knowledge has no OpenStack series (rules/knowledge/releases.yaml)');
  if (inputs.option !== undefined) return toRelease(lookup(inputs.option, 'option', knowledge), 'option');
  if (inputs.config !== undefined) return toRelease(lookup(inputs.config, 'config', knowledge), 'config');
  if (inputs.branch !== undefined) {
    const series = seriesOfBranch(inputs.branch);
    const info = series === undefined ? undefined : findSeries(series, knowledge);
    if (info !== undefined) return toRelease(info, 'branch');
  }
  return toRelease(newest, 'default');
}

function lookup(series: string, origin: 'option' | 'config', knowledge: Knowledge): SeriesInfo {
  const info = findSeries(series, knowledge);
  if (info === undefined) throw new UnknownReleaseError(series, origin, knowledge.releases.map((r) => r.series));
  return info;
}

/** Finds a series by name or code name (`caracal` -> `2024.1`), case-insensitively. */
function findSeries(name: string, knowledge: Knowledge): SeriesInfo | undefined {
  const wanted = name.trim().toLowerCase();
  const aliased = knowledge.releaseAliases.get(wanted) ?? wanted;
  return knowledge.releases.find((r) => r.series.toLowerCase() === aliased);
}

function toRelease(info: SeriesInfo, source: Release['source']): Release {
  return {
    series: info.series,
    novaMajor: info.novaMajor,
    osloMessaging: { ...info.osloMessaging },
    puppetMajor: info.puppetMajor,
    source,
  };
}
