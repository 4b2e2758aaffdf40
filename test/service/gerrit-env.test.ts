/** GERRIT_* variables (CONTRACTS.md §3): what enables what, defaults, and one clear problem per bad variable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ssh2 from 'ssh2';
import { readEnv, type Env } from '../../src/service/read-env.js';
import { normaliseHostKey, parseHostPort } from '../../src/service/gerrit-env.js';
import { generateKeyPair } from '../fakes/gerrit/ssh.js';

// generateKeyPair redraws the ~1-in-250 ed25519 keys that ssh2 writes malformed.
const KEY = generateKeyPair('heartbeat-bot');
const ENCRYPTED = ssh2.utils.generateKeyPairSync('ed25519', { passphrase: 'pass', cipher: 'aes256-ctr', rounds: 4 });
const HOST = generateKeyPair('host');
const PASSWORD = 'gerrit-http-pass-w0rd';
const TOKEN = '0123456789abcdef0123456789abcdef';
const FILES: Record<string, string> = { '/keys/id_ed25519': KEY.private, '/keys/id_ed25519.pub': KEY.public, '/keys/encrypted': ENCRYPTED.private, '/keys/junk': 'hello' };
const readFile = (path: string): string => {
  const text = FILES[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};
const REST = { GERRIT_URL: 'https://review.opendev.org', GERRIT_USER: 'heartbeat-bot', GERRIT_PASSWORD: PASSWORD };
const SSH = { ...REST, GERRIT_SSH: 'review.opendev.org:29418', GERRIT_SSH_KEY: '/keys/id_ed25519' };

test('GERRIT_URL with credentials: polling every 60 s, no label, all projects, no WIP', () => {
  const r = readEnv(REST, readFile);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config?.gerrit, { url: 'https://review.opendev.org', user: 'heartbeat-bot', password: PASSWORD, reviewWip: false, pollSeconds: 60 });
  assert.doesNotMatch(r.notes.join('\n'), /nothing to review/);
});

test('everything set: SSH stream (user defaults to GERRIT_USER), webhook token, projects, label, WIP, host key', () => {
  const r = readEnv(
    {
      ...SSH,
      GERRIT_URL: 'https://review.example.org/r/',
      GERRIT_SSH_HOST_KEY: `[review.example.org]:29418 ${HOST.public.trim()}`,
      GERRIT_WEBHOOK_TOKEN: TOKEN,
      GERRIT_PROJECTS: ' openstack/puppet-*, openstack/tripleo-heat-templates ,,',
      GERRIT_LABEL: 'Verified',
      GERRIT_REVIEW_WIP: 'yes',
      GERRIT_ABOUT_URL: 'https://wiki.openstack.org/wiki/ThirdPartySystems/Heartbeat_Bot',
    },
    readFile,
  );
  assert.deepEqual(r.problems, []);
  const g = r.config?.gerrit;
  assert.equal(g?.aboutUrl, 'https://wiki.openstack.org/wiki/ThirdPartySystems/Heartbeat_Bot');
  assert.equal(g?.url, 'https://review.example.org/r');
  assert.deepEqual(g?.projects, ['openstack/puppet-*', 'openstack/tripleo-heat-templates']);
  assert.equal(g?.label, 'Verified');
  assert.equal(g?.reviewWip, true);
  assert.equal(g?.webhookToken, TOKEN);
  assert.deepEqual(g?.ssh, {
    host: 'review.opendev.org',
    port: 29418,
    user: 'heartbeat-bot',
    privateKey: KEY.private,
    keyPath: '/keys/id_ed25519',
    hostKey: HOST.public.trim().split(' ').slice(0, 2).join(' '),
  });
});

test('GERRIT_SSH_USER overrides the user; the port defaults to 29418; IPv6 in brackets', () => {
  assert.equal(readEnv({ ...SSH, GERRIT_SSH_USER: 'hb-ci' }, readFile).config?.gerrit?.ssh?.user, 'hb-ci');
  assert.deepEqual(parseHostPort('review.opendev.org'), { host: 'review.opendev.org', port: 29418 });
  assert.deepEqual(parseHostPort('[::1]:2222'), { host: '::1', port: 2222 });
  assert.equal(parseHostPort('host:0'), undefined);
  assert.equal(parseHostPort('ssh://host:29418'), undefined);
});

test('GERRIT_SSH_HOST_KEY as a fingerprint or a public key line', () => {
  const fp = 'SHA256:' + 'A'.repeat(43);
  assert.equal(normaliseHostKey(fp), fp);
  assert.equal(normaliseHostKey(fp + '='), fp);
  assert.equal(normaliseHostKey(HOST.public.trim()), HOST.public.trim().split(' ').slice(0, 2).join(' '));
  assert.equal(normaliseHostKey('ssh-ed25519 notbase64'), undefined);
  assert.equal(normaliseHostKey('MD5:aa:bb'), undefined);
});

test('without credentials Gerrit still runs, anonymously, and the note says reviews are only logged', () => {
  const r = readEnv({ GERRIT_URL: 'http://localhost:8080' }, readFile);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.config?.gerrit, { url: 'http://localhost:8080', reviewWip: false, pollSeconds: 60 });
  assert.match(r.notes.join('\n'), /without GERRIT_USER and GERRIT_PASSWORD.*dry run/);
});

test('GERRIT_* without GERRIT_URL: a note, Gerrit disabled', () => {
  const r = readEnv({ GERRIT_USER: 'x', GERRIT_SSH: 'h:1', GERRIT_WEBHOOK_TOKEN: TOKEN }, readFile);
  assert.deepEqual(r.problems, []);
  assert.equal(r.config?.gerrit, undefined);
  assert.match(r.notes.join('\n'), /GERRIT_USER, GERRIT_SSH, GERRIT_WEBHOOK_TOKEN are set but GERRIT_URL is not/);
});

test('notes for variables without effect: GERRIT_POLL_SECONDS with SSH, SSH key without GERRIT_SSH', () => {
  assert.match(readEnv({ ...SSH, GERRIT_POLL_SECONDS: '30' }, readFile).notes.join('\n'), /GERRIT_POLL_SECONDS has no effect/);
  assert.match(readEnv({ ...REST, GERRIT_SSH_KEY: '/keys/id_ed25519' }, readFile).notes.join('\n'), /GERRIT_SSH_KEY is set but GERRIT_SSH is not/);
  assert.equal(readEnv({ ...REST, GERRIT_POLL_SECONDS: '30' }, readFile).config?.gerrit?.pollSeconds, 30);
});

const BAD: [string, Env, RegExp][] = [
  ['GERRIT_URL relative', { ...REST, GERRIT_URL: 'review.opendev.org' }, /^GERRIT_URL: must be an absolute http\(s\) URL/],
  ['GERRIT_URL with credentials', { ...REST, GERRIT_URL: 'https://u:p@review.opendev.org' }, /^GERRIT_URL: must be an http\(s\) base URL/],
  ['GERRIT_URL ending in /a/', { ...REST, GERRIT_URL: 'https://review.opendev.org/a/' }, /^GERRIT_URL: .*without the \/a\//],
  ['GERRIT_USER without a password', { GERRIT_URL: 'https://g', GERRIT_USER: 'hb' }, /^GERRIT_PASSWORD: GERRIT_USER is set/],
  ['GERRIT_PASSWORD without a user', { GERRIT_URL: 'https://g', GERRIT_PASSWORD: PASSWORD }, /^GERRIT_USER: GERRIT_PASSWORD is set/],
  ['GERRIT_USER with a colon', { ...REST, GERRIT_USER: 'a:b' }, /^GERRIT_USER: must be a Gerrit user name/],
  ['GERRIT_SSH not host:port', { ...SSH, GERRIT_SSH: 'ssh://review.opendev.org:29418' }, /^GERRIT_SSH: must be host:port/],
  ['GERRIT_SSH port out of range', { ...SSH, GERRIT_SSH: 'review.opendev.org:70000' }, /^GERRIT_SSH: /],
  ['GERRIT_SSH without a key', { ...REST, GERRIT_SSH: 'review.opendev.org:29418' }, /^GERRIT_SSH_KEY: GERRIT_SSH is set, so set the path/],
  ['GERRIT_SSH without any user', { GERRIT_URL: 'https://g', GERRIT_SSH: 'g:29418', GERRIT_SSH_KEY: '/keys/id_ed25519' }, /^GERRIT_SSH_USER: GERRIT_SSH is set/],
  ['GERRIT_SSH_KEY unreadable', { ...SSH, GERRIT_SSH_KEY: '/keys/missing' }, /^GERRIT_SSH_KEY: cannot read '\/keys\/missing' \(ENOENT\)$/],
  ['GERRIT_SSH_KEY not a key', { ...SSH, GERRIT_SSH_KEY: '/keys/junk' }, /^GERRIT_SSH_KEY: '\/keys\/junk' does not hold an SSH private key/],
  ['GERRIT_SSH_KEY encrypted', { ...SSH, GERRIT_SSH_KEY: '/keys/encrypted' }, /^GERRIT_SSH_KEY: '\/keys\/encrypted' is encrypted/],
  ['GERRIT_SSH_KEY a public key', { ...SSH, GERRIT_SSH_KEY: '/keys/id_ed25519.pub' }, /^GERRIT_SSH_KEY: .* holds a public key/],
  ['GERRIT_SSH_HOST_KEY garbage', { ...SSH, GERRIT_SSH_HOST_KEY: 'trust me' }, /^GERRIT_SSH_HOST_KEY: must be the server's public key/],
  ['GERRIT_WEBHOOK_TOKEN too short', { ...REST, GERRIT_WEBHOOK_TOKEN: 'hunter2' }, /^GERRIT_WEBHOOK_TOKEN: must be at least 16/],
  ['GERRIT_PROJECTS with spaces', { ...REST, GERRIT_PROJECTS: 'openstack/puppet nova' }, /^GERRIT_PROJECTS: .*not 'openstack\/puppet nova'$/],
  ['GERRIT_PROJECTS only commas', { ...REST, GERRIT_PROJECTS: ' , ,' }, /^GERRIT_PROJECTS: is empty/],
  ['GERRIT_LABEL with a vote', { ...REST, GERRIT_LABEL: 'Verified+1' }, /^GERRIT_LABEL: must be a label name/],
  ['GERRIT_ABOUT_URL not a URL', { ...REST, GERRIT_ABOUT_URL: 'wiki page' }, /^GERRIT_ABOUT_URL: must be an http\(s\) URL/],
  ['GERRIT_POLL_SECONDS not a number', { ...REST, GERRIT_POLL_SECONDS: 'often' }, /^GERRIT_POLL_SECONDS: must be a whole number of seconds from 5 to 86400, not 'often'$/],
  ['GERRIT_POLL_SECONDS too small', { ...REST, GERRIT_POLL_SECONDS: '1' }, /^GERRIT_POLL_SECONDS: /],
  ['GERRIT_REVIEW_WIP unclear', { ...REST, GERRIT_REVIEW_WIP: 'sometimes' }, /^GERRIT_REVIEW_WIP: must be true or false/],
];

for (const [name, env, message] of BAD) {
  test(`bad Gerrit environment: ${name} gives one problem naming the variable`, () => {
    const r = readEnv(env, readFile);
    assert.equal(r.config, undefined, 'the service does not start');
    assert.equal(r.problems.length, 1, r.problems.join('\n'));
    assert.match(r.problems[0] ?? '', message);
  });
}

test('no Gerrit problem quotes the password, the token or key material', () => {
  const r = readEnv({ ...SSH, GERRIT_USER: 'hb', GERRIT_PASSWORD: PASSWORD, GERRIT_WEBHOOK_TOKEN: 'short-' + PASSWORD.slice(0, 5), GERRIT_SSH_KEY: '/keys/junk' }, readFile);
  const text = [...r.problems, ...r.notes].join('\n');
  assert.ok(r.problems.length >= 2);
  assert.ok(!text.includes(PASSWORD) && !text.includes('short-') && !text.includes('hello'));
});
