/**
 * Where a rule's documentation lives: the one place that decides it for every format.
 *
 * With a base (`DOCS_URL`, e.g. the service's own `https://bot.example.org/rules/`) the link is `<base><id>`.
 * Without one it is the README shipped in the npm package, `rules/<id>/README.md`: a relative path for humans
 * and tools that resolve it against the package, and for SARIF (whose `helpUri` must be absolute) the file URL of
 * that README in the installed package. No invented web address.
 *
 * Engine checks (unused-suppression ...) have no folder: without a base they link to their section of the
 * catalogue, `rules/README.md#<id>`; with a base they are `<base><id>` like any rule, so the service's /rules/<id>
 * must serve them too.
 */
import { ENGINE_CHECK_IDS } from '../model/review.js';

const PACKAGE_RELATIVE = (ruleId: string): string =>
  ENGINE_CHECK_IDS.includes(ruleId) ? `rules/README.md#${encodeURIComponent(ruleId)}` : `rules/${encodeURIComponent(ruleId)}/README.md`;

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/** The documentation link of a rule, relative to the package when no base is given. */
export function ruleDocsUrl(ruleId: string, docsBase?: string): string {
  if (docsBase) return withSlash(docsBase) + encodeURIComponent(ruleId);
  return PACKAGE_RELATIVE(ruleId);
}

/** An absolute documentation URI of a rule: the base's, or the file URL of the README in this package. */
export function absoluteRuleDocsUrl(ruleId: string, docsBase?: string): string {
  if (docsBase) return ruleDocsUrl(ruleId, docsBase);
  // dist/src/formats/docs-url.js -> the package root is three levels up.
  return new URL(`../../../${PACKAGE_RELATIVE(ruleId)}`, import.meta.url).href;
}

/** The project's home, for `informationUri` / rdjson `source.url`: the base's origin, else the package's README. */
export function toolInformationUrl(docsBase?: string): string {
  if (docsBase) return new URL('/', docsBase).href;
  return new URL('../../../README.md', import.meta.url).href;
}
