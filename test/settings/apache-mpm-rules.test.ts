/**
 * What the fixtures cannot say about the Apache MPM and httpd rules: severities (release-dependent or per case),
 * suggestions, and the numbers in messages.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';
import type { Rule } from '../../src/model/rule.js';
import type { MarkedFinding } from '../../src/model/finding.js';

let rules: Rule[];
before(async () => {
  rules = await loadRules();
});

function findings(ruleId: string, files: Record<string, string>, release?: string): MarkedFinding[] {
  const result = review(
    { files: Object.entries(files).map(([path, newContent]) => ({ path, status: 'added' as const, newContent })), wholeFiles: true },
    rules,
    loadKnowledge(),
    release !== undefined ? { release } : {},
  );
  assert.deepEqual(result.errors, []);
  return result.findings.filter((f) => f.ruleId === ruleId);
}

test('apache-event-removed-params: error on the newest series, warning on zed and older; the key is renamed on its line', () => {
  const hiera = { 'hieradata/common.yaml': '---\napache::mod::event::maxclients: 256\n' };
  const [newest] = findings('apache-event-removed-params', hiera);
  assert.equal(newest?.severity, 'error');
  assert.deepEqual(newest?.suggestion, { line: 2, endLine: 2, replacement: 'apache::mod::event::maxrequestworkers: 256' });
  assert.match(newest?.message ?? '', /never looked up/);
  assert.equal(findings('apache-event-removed-params', hiera, '2023.1')[0]?.severity, 'error');
  const [zed] = findings('apache-event-removed-params', hiera, 'zed');
  assert.equal(zed?.severity, 'warning');
  assert.match(zed?.message ?? '', /zed deploys an older puppetlabs-apache/);
});

test('apache-event-removed-params: a Puppet rename keeps the arrows aligned; a variable of the same name is kept', () => {
  const pp = [
    "class { 'apache::mod::event':",
    '  maxrequestsperchild => $maxrequestsperchild,',
    '  serverlimit         => 16,',
    '}',
    '',
  ].join('\n');
  const [f] = findings('apache-event-removed-params', { 'manifests/site.pp': pp });
  assert.match(f?.message ?? '', /fails the catalog/);
  assert.deepEqual(f?.suggestion, { line: 2, endLine: 2, replacement: '  maxconnectionsperchild => $maxrequestsperchild,' });
});

test('mpm-param-mismatch: class clashes and httpd directives are errors, unused sizing a warning', () => {
  const out = findings('mpm-param-mismatch', {
    'hieradata/common.yaml': '---\napache::mpm_module: worker\napache::mod::prefork::serverlimit: 64\n',
    'manifests/site.pp': 'include apache::mod::event\n',
    'etc/httpd/conf.d/mpm.conf': '<IfModule mpm_worker_module>\n  MaxSpareServers 10\n</IfModule>\n',
  });
  assert.deepEqual(out.map((f) => [f.path, f.line, f.severity]).sort(), [
    ['etc/httpd/conf.d/mpm.conf', 2, 'error'],
    ['hieradata/common.yaml', 3, 'warning'],
    ['manifests/site.pp', 1, 'error'],
  ]);
});

test('mpm-param-mismatch: two manifests do not see each other, and mpm_module false selects nothing', () => {
  const manifests = { 'examples/a.pp': "class { 'apache': mpm_module => 'prefork' }\n", 'examples/b.pp': 'include apache::mod::event\n' };
  assert.deepEqual(findings('mpm-param-mismatch', manifests), []);
  const hiera = { 'hieradata/common.yaml': '---\napache::mpm_module: false\napache::mod::worker::threadsperchild: 25\n' };
  assert.deepEqual(findings('mpm-param-mismatch', hiera), []);
  // Hieradata reaches every manifest: a manifest's resource-like mpm_module wins over hiera's false.
  assert.deepEqual(
    findings('mpm-param-mismatch', { ...manifests, ...hiera }).map((f) => `${f.path}:${f.line}`),
    ['hieradata/common.yaml:3'],
  );
});

test('mpm-param-mismatch: a LoadModule in an httpd file is not a puppetlabs-apache selection', () => {
  const files = {
    'hieradata/common.yaml': '---\napache::mod::prefork::serverlimit: 64\n',
    'etc/httpd/conf.modules.d/00-mpm.conf': 'LoadModule mpm_event_module modules/mod_mpm_event.so\n',
  };
  assert.deepEqual(findings('mpm-param-mismatch', files), []);
});

test('mpm-prefork-sizing: the message states the effective values', () => {
  const [cap, spare] = findings('mpm-prefork-sizing', {
    'hieradata/common.yaml': '---\napache::mod::prefork::maxrequestworkers: 400\napache::mod::prefork::maxspareservers: 5\n',
  });
  assert.match(cap?.message ?? '', /maxrequestworkers 400 exceeds apache::mod::prefork::serverlimit \(default\) 256: .*lowers MaxRequestWorkers to 256/);
  assert.match(spare?.message ?? '', /maxspareservers 5 is not above apache::mod::prefork::minspareservers \(default\) 5: httpd sets MaxSpareServers to 6/);
});

test('vulnerable-httpd-pin: range bounds, epochs, and the vendor caveat only for packaged builds', () => {
  const pin = (v: string): MarkedFinding[] => findings('vulnerable-httpd-pin', { 'hieradata/common.yaml': `---\napache::package_ensure: '${v}'\n` });
  assert.equal(pin('2.4.16').length, 0);
  assert.equal(pin('2.4.17').length, 1);
  assert.equal(pin('2.4.39').length, 0);
  assert.equal(pin('2.4.380').length, 0);
  assert.equal(pin('2.4.6-90.el7').length, 0);
  assert.doesNotMatch(pin('2.4.38')[0]?.message ?? '', /vendor/);
  assert.match(pin('1:2.4.38-3+deb10u1')[0]?.message ?? '', /packaging revision \(-3\+deb10u1\).*vendor's advisory/);
});
