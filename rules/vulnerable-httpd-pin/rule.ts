/**
 * vulnerable-httpd-pin (catalogue R23): an explicit Apache httpd version from 2.4.17 to 2.4.38, pinned by
 * `package { 'httpd'|'apache2': ensure => ... }`, `apache::package_ensure` (hiera, THT, class parameter) or a
 * TripleO `Container*Image` / `Docker*Image` tag of an httpd image.
 *
 * Why: CVE-2019-0211. In those releases, with the event, worker or prefork MPM, code running in a child process or
 * thread (scripts of an in-process interpreter included) can write the scoreboard and run code as the parent,
 * usually root. Fixed in 2.4.39; switching the MPM does not mitigate it. Distribution packages backport fixes
 * without changing the upstream version (Debian's 2.4.38-3, RHEL 8's 2.4.37-*): when the pin carries a packaging
 * revision the message says to check the vendor's advisory instead of asserting the host is vulnerable. Versions
 * outside the range (RHEL 7's 2.4.6-90.el7) are not reported.
 */
import type { Rule } from '../../src/model/rule.js';
import { describeValue } from '../../src/settings/value.js';
import { containerImages } from '../../src/settings/container-images.js';

const FIRST = 17;
const LAST = 38;
/** `2.4.38`, `1:2.4.38-3+deb10u1`, `2.4.37-43.module+el8`: upstream patch level, then whatever the packager added. */
const PACKAGE_VERSION = /^\s*(?:\d+:)?2\.4\.(\d+)(?!\d)(\S*)\s*$/;
/** Image tags: `2.4.38`, `2.4.38-alpine`; a `-<digits>` after the version is a package revision. */
const IMAGE_TAG = /^v?2\.4\.(\d+)(?!\d)(.*)$/;
const HTTPD_IMAGE = /(?:^|[/_-])(?:httpd|apache2?)(?:$|[/_-])/i;

const rule: Rule = {
  meta: {
    id: 'vulnerable-httpd-pin',
    description: 'Apache httpd pinned to 2.4.17-2.4.38 (CVE-2019-0211, local root through the scoreboard)',
    severity: 'warning',
    kinds: ['puppet', 'hiera', 'heat', 'heat-env'],
    references: [
      'https://nvd.nist.gov/vuln/detail/CVE-2019-0211',
      'https://archive.apache.org/dist/httpd/CHANGES_2.4.39',
      'https://httpd.apache.org/security/vulnerabilities_24.html',
    ],
  },
  check(context) {
    for (const s of context.settings) {
      if (s.key !== 'apache.package_ensure' || s.via.startsWith('default of ') || s.value.kind !== 'literal') continue;
      const m = PACKAGE_VERSION.exec(describeValue(s.value));
      if (!m || !inRange(m[1]!)) continue;
      context.report({ path: s.path, range: s.range, message: message(`${s.via} '${describeValue(s.value)}'`, `2.4.${m[1]}`, m[2]!) });
    }
    for (const file of context.files) {
      for (const image of containerImages(file)) {
        const m = image.tag !== undefined && HTTPD_IMAGE.test(image.repository) ? IMAGE_TAG.exec(image.tag) : null;
        if (!m || !inRange(m[1]!)) continue;
        const revision = /^-\d/.test(m[2]!) ? m[2]! : '';
        context.report({ path: file.path, range: image.range, message: message(`${image.parameter} ${image.image}`, `2.4.${m[1]}`, revision) });
      }
    }
  },
};
export default rule;

function inRange(patch: string): boolean {
  const n = Number(patch);
  return n >= FIRST && n <= LAST;
}

function message(what: string, upstream: string, revision: string): string {
  const cve =
    `${what} pins httpd ${upstream}, in the range hit by CVE-2019-0211 (2.4.17 to 2.4.38; in CISA's known-exploited list): ` +
    `code running in a less-privileged child process or thread, including scripts of an in-process interpreter, ` +
    `can manipulate the scoreboard and run code as the parent process, usually root. Fixed in 2.4.39; switching the ` +
    `MPM does not help, since event, worker and prefork are all affected.`;
  if (revision === '') return `${cve} Pin 2.4.39 or later.`;
  return (
    `${cve} The pin carries a packaging revision (${revision}): distributions backport security fixes without ` +
    `changing the upstream version, so check the vendor's advisory for CVE-2019-0211 and pin a build that has the ` +
    `fix (or 2.4.39 or later).`
  );
}
