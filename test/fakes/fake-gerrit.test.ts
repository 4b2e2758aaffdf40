/**
 * The fake Gerrit, driven over real HTTP (fetch) and a real ssh2 client. These tests double as documentation of the
 * Gerrit behaviours a bot depends on: the XSSI line, `/a/` + basic auth, base64 file contents, review validation
 * (400 for a comment outside the revision's files or past the end of a file), omit_duplicate_comments, the query
 * language for catch-up, and `gerrit stream-events` over SSH with public-key auth, drops and refusals.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import type { FakeGerrit } from './gerrit/fake-gerrit.js';
import { startFakeGerrit, XSSI } from './gerrit/fake-gerrit.js';

const { Client } = ssh2;

/** Parsed Gerrit JSON, navigated freely in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PROJECT = 'openstack/puppet-nova';
const ID = encodeURIComponent(PROJECT) + '~12345';
const OLD = ['class nova {', "  $rpc_response_timeout = 60", "  $heartbeat_timeout_threshold = 60", '}', ''].join('\n');
const NEW = OLD.replace('$heartbeat_timeout_threshold = 60', '$heartbeat_timeout_threshold = 0\n  $heartbeat_in_pthread = true');

interface Res {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

/** A tiny Gerrit REST client: basic auth under /a/, XSSI stripped. */
async function call(fake: FakeGerrit, method: string, path: string, body?: unknown, auth: { user: string; password: string } | null = { user: fake.user, password: fake.password }): Promise<Res> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(fake.url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let json: unknown;
  if (text.startsWith(XSSI)) json = JSON.parse(text.slice(XSSI.length));
  return { status: res.status, text, json, headers: res.headers };
}

const get = (fake: FakeGerrit, path: string): Promise<Res> => call(fake, 'GET', path);
const post = (fake: FakeGerrit, path: string, body: unknown): Promise<Res> => call(fake, 'POST', path, body);

function addNovaChange(fake: FakeGerrit, number = 12345): ReturnType<FakeGerrit['addChange']> {
  return fake.addChange({
    project: PROJECT,
    number,
    subject: 'Disable AMQP heartbeats',
    patchSets: [{ files: [{ path: 'manifests/init.pp', oldContent: OLD, newContent: NEW }, { path: 'README.md', newContent: '# nova\n' }] }],
  });
}

describe('fake Gerrit REST', () => {
  let fake: FakeGerrit;
  before(async () => {
    fake = await startFakeGerrit({ ssh: false });
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setTime('2026-11-27 03:00:00');
    addNovaChange(fake);
  });

  it('prefixes JSON with the XSSI line and serves the version anonymously', async () => {
    const res = await call(fake, 'GET', '/config/server/version', undefined, null);
    assert.equal(res.status, 200);
    assert.ok(res.text.startsWith(")]}'\n"));
    assert.equal(res.json, '3.11.2');
  });

  it('answers 401 "Unauthorized" under /a/ without or with wrong credentials', async () => {
    const none = await call(fake, 'GET', `/a/changes/${ID}`, undefined, null);
    assert.equal(none.status, 401);
    assert.equal(none.text, 'Unauthorized');
    const wrong = await call(fake, 'GET', `/a/changes/${ID}`, undefined, { user: fake.user, password: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(fake.requests.at(-1)?.user, undefined);
    const ok = await get(fake, `/a/accounts/self`);
    assert.equal(ok.status, 200);
    assert.equal((ok.json as { username: string }).username, 'heartbeat-bot');
    assert.equal(fake.requests.at(-1)?.user, 'heartbeat-bot');
    const anonymousWrite = await call(fake, 'POST', `/changes/${ID}/revisions/current/review`, { message: 'x' }, null);
    assert.equal(anonymousWrite.status, 403);
  });

  it('serves ChangeInfo by project~number, number and triplet, with fields gated by o=', async () => {
    const bare = await get(fake, `/a/changes/${ID}`);
    const info = bare.json as Record<string, unknown>;
    assert.equal(info._number, 12345);
    assert.equal(info.project, PROJECT);
    assert.equal(info.updated, '2026-11-27 03:00:00.000000000');
    assert.equal(info.revisions, undefined);
    const full = (await get(fake, `/a/changes/${ID}?o=CURRENT_REVISION&o=CURRENT_COMMIT&o=CURRENT_FILES&o=DETAILED_LABELS&o=MESSAGES&o=DETAILED_ACCOUNTS`)).json as Record<string, Json>;
    const rev = full.revisions[full.current_revision];
    assert.equal(rev._number, 1);
    assert.equal(rev.ref, 'refs/changes/45/12345/1');
    assert.match(rev.commit.message, /Change-Id: I[0-9a-f]{40}/);
    assert.deepEqual(Object.keys(rev.files), ['README.md', 'manifests/init.pp']);
    assert.deepEqual(rev.files['manifests/init.pp'], { lines_inserted: 2, lines_deleted: 1, size_delta: NEW.length - OLD.length, size: NEW.length });
    assert.equal(full.owner.username, 'alice');
    assert.equal(full.messages[0].message, 'Uploaded patch set 1.');
    assert.ok(full.labels['Code-Review'].values['+2']);
    assert.equal((await get(fake, '/a/changes/12345')).status, 200);
    assert.equal((await get(fake, `/a/changes/${encodeURIComponent(PROJECT)}~master~${full.change_id}`)).status, 200);
    const missing = await get(fake, `/a/changes/${encodeURIComponent(PROJECT)}~999`);
    assert.equal(missing.status, 404);
    assert.match(missing.text, /^Not found/);
  });

  it('lists files with /COMMIT_MSG and serves base64 contents (and the parent side)', async () => {
    const files = (await get(fake, `/a/changes/${ID}/revisions/current/files/`)).json as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(files), ['/COMMIT_MSG', 'README.md', 'manifests/init.pp']);
    assert.equal(files['README.md']?.status, 'A');
    const content = await get(fake, `/a/changes/${ID}/revisions/1/files/${encodeURIComponent('manifests/init.pp')}/content`);
    assert.equal(content.status, 200);
    assert.equal(content.headers.get('x-fyi-content-type'), 'text/plain');
    assert.ok(!content.text.startsWith(XSSI));
    assert.equal(Buffer.from(content.text, 'base64').toString('utf8'), NEW);
    const parent = await get(fake, `/a/changes/${ID}/revisions/current/files/${encodeURIComponent('manifests/init.pp')}/content?parent=1`);
    assert.equal(Buffer.from(parent.text, 'base64').toString('utf8'), OLD);
    assert.equal((await get(fake, `/a/changes/${ID}/revisions/current/files/${encodeURIComponent('README.md')}/content?parent=1`)).status, 404);
    assert.equal((await get(fake, `/a/changes/${ID}/revisions/current/files/${encodeURIComponent('nope.pp')}/content`)).status, 404);
  });

  it('serves DiffInfo and a raw patch', async () => {
    const diff = (await get(fake, `/a/changes/${ID}/revisions/current/files/${encodeURIComponent('manifests/init.pp')}/diff`)).json as Record<string, Json>;
    assert.equal(diff.change_type, 'MODIFIED');
    assert.deepEqual(diff.content[1], { a: ['  $heartbeat_timeout_threshold = 60'], b: ['  $heartbeat_timeout_threshold = 0', '  $heartbeat_in_pthread = true'] });
    const patch = await get(fake, `/a/changes/${ID}/revisions/current/patch?raw`);
    assert.match(patch.text, /\+\+\+ b\/manifests\/init\.pp/);
  });

  it('accepts a review with inline comments, stores messages with tag and answers comments', async () => {
    const res = await post(fake, `/a/changes/${ID}/revisions/current/review`, {
      message: 'heartbeat-bot: 1 error',
      tag: 'autogenerated:heartbeat-bot',
      notify: 'OWNER',
      comments: { 'manifests/init.pp': [{ line: 3, message: 'heartbeat_timeout_threshold = 0 disables heartbeats', unresolved: true }] },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {});
    const comments = (await get(fake, `/a/changes/${ID}/comments`)).json as Record<string, Array<Record<string, Json>>>;
    const c = comments['manifests/init.pp']?.[0];
    assert.equal(c?.line, 3);
    assert.equal(c?.unresolved, true);
    assert.equal(c?.patch_set, 1);
    assert.equal(c?.tag, 'autogenerated:heartbeat-bot');
    assert.equal(c?.author.username, 'heartbeat-bot');
    const messages = (await get(fake, `/a/changes/${ID}/messages`)).json as Array<Record<string, unknown>>;
    assert.equal(messages.at(-1)?.message, 'Patch Set 1:\n\n(1 comment)\n\nheartbeat-bot: 1 error');
    assert.equal(messages.at(-1)?.tag, 'autogenerated:heartbeat-bot');
    assert.equal(messages.at(-1)?._revision_number, 1);
    assert.equal(fake.reviews.length, 1);
    assert.equal(fake.reviews[0]?.patchSet, 1);
    assert.equal(fake.comments(PROJECT, 12345).length, 1);
  });

  it('rejects a comment on a file not in the revision and a line past the end (whole review)', async () => {
    const notThere = await post(fake, `/a/changes/${ID}/revisions/current/review`, { message: 'x', comments: { 'manifests/api.pp': [{ line: 1, message: 'm' }] } });
    assert.equal(notThere.status, 400);
    assert.equal(notThere.text.trim(), 'file manifests/api.pp not found in revision 12345,1');
    const pastEnd = await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { 'README.md': [{ line: 2, message: 'm' }] } });
    assert.equal(pastEnd.status, 400);
    assert.match(pastEnd.text, /line 2 is not valid for file README.md/);
    const badRange = await post(fake, `/a/changes/${ID}/revisions/current/review`, {
      comments: { 'README.md': [{ range: { start_line: 1, start_character: 0, end_line: 3, end_character: 0 }, message: 'm' }] },
    });
    assert.equal(badRange.status, 400);
    assert.match(badRange.text, /range \(1:0 - 3:0\) is not valid for file README.md/);
    const badLabel = await post(fake, `/a/changes/${ID}/revisions/current/review`, { labels: { 'Heartbeat-Bot': 1 } });
    assert.equal(badLabel.status, 400);
    assert.equal(fake.comments(PROJECT, 12345).length, 0);
    assert.equal(fake.messages(PROJECT, 12345).length, 1);
  });

  it('omits duplicate comments on the same patch set when asked', async () => {
    const review = { tag: 'autogenerated:heartbeat-bot', omit_duplicate_comments: true, comments: { 'manifests/init.pp': [{ line: 3, message: 'same' }, { line: 4, message: 'other' }] } };
    assert.equal((await post(fake, `/a/changes/${ID}/revisions/current/review`, review)).status, 200);
    assert.equal((await post(fake, `/a/changes/${ID}/revisions/current/review`, { ...review, comments: { 'manifests/init.pp': [{ line: 3, message: 'same' }, { line: 3, message: 'new' }] } })).status, 200);
    assert.deepEqual(
      fake.comments(PROJECT, 12345).map((c) => c.message),
      ['same', 'other', 'new'],
    );
    await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { 'manifests/init.pp': [{ line: 3, message: 'same' }] } });
    assert.equal(fake.comments(PROJECT, 12345).length, 4, 'without the flag, duplicates are posted');
  });

  it('keeps labels, threads replies and drops fix_suggestions unless enabled', async () => {
    await post(fake, `/a/changes/${ID}/revisions/current/review`, {
      labels: { Verified: -1 },
      comments: { 'manifests/init.pp': [{ line: 3, message: 'bad', unresolved: true, fix_suggestions: [{ description: 'd', replacements: [{ path: 'manifests/init.pp', range: { start_line: 3, start_character: 0, end_line: 4, end_character: 0 }, replacement: 'x\n' }] }] }] },
    });
    const [first] = fake.comments(PROJECT, 12345);
    assert.equal(first?.fix_suggestions, undefined);
    const reply = await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { 'manifests/init.pp': [{ line: 3, message: 'Done', in_reply_to: first?.id, unresolved: false }] } });
    assert.equal(reply.status, 200);
    assert.equal(fake.comments(PROJECT, 12345)[1]?.in_reply_to, first?.id);
    const change = (await get(fake, `/a/changes/${ID}?o=DETAILED_LABELS`)).json as Record<string, Json>;
    assert.equal(change.labels.Verified.all[0].value, -1);
    assert.equal(change.unresolved_comment_count, 0);
    fake.fixSuggestions = true;
    await post(fake, `/a/changes/${ID}/revisions/current/review`, {
      comments: { 'manifests/init.pp': [{ line: 2, message: 'fix', fix_suggestions: [{ description: 'd', replacements: [{ path: 'manifests/init.pp', range: { start_line: 2, start_character: 0, end_line: 3, end_character: 0 }, replacement: 'x\n' }] }] }] },
    });
    assert.ok(Array.isArray(fake.comments(PROJECT, 12345).at(-1)?.fix_suggestions));
    fake.fixSuggestions = false;
  });

  it('answers catch-up queries with after:, project:, is:open, -is:wip, OR and _more_changes', async () => {
    fake.setTime('2026-11-27 04:00:00');
    fake.addChange({ project: 'openstack/puppet-keystone', number: 200, subject: 'k', patchSets: [{ files: [{ path: 'a.pp', newContent: 'a\n' }] }] });
    fake.setTime('2026-11-27 05:00:00');
    fake.addChange({ project: 'openstack/tripleo-heat-templates', number: 300, subject: 't', wip: true, patchSets: [{ files: [{ path: 'b.yaml', newContent: 'b\n' }] }] });
    const q = async (query: string, extra = ''): Promise<Array<Record<string, unknown>>> => (await get(fake, `/a/changes/?q=${encodeURIComponent(query)}${extra}`)).json as Array<Record<string, unknown>>;
    assert.deepEqual((await q('after:"2026-11-27 03:30:00"')).map((c) => c._number), [300, 200]);
    assert.deepEqual((await q('after:"2026-11-27 03:30:00" -is:wip')).map((c) => c._number), [200]);
    assert.deepEqual((await q('status:open (project:openstack/puppet-nova OR project:openstack/puppet-keystone)')).map((c) => c._number), [200, 12345]);
    const page = await q('is:open', '&n=2&o=CURRENT_REVISION');
    assert.deepEqual(page.map((c) => c._number), [300, 200]);
    assert.equal(page[1]?._more_changes, true);
    assert.ok(page[0]?.current_revision);
    const rest = await q('is:open', '&n=2&S=2');
    assert.deepEqual(rest.map((c) => c._number), [12345]);
    assert.equal(rest[0]?._more_changes, undefined);
    assert.equal((await get(fake, `/a/changes/?q=${encodeURIComponent('frobnicate:x')}`)).status, 400);
  });

  it('fails the next requests on demand (503 burst) and logs them', async () => {
    fake.failNext({ method: 'GET', path: '/changes/', status: 503, times: 2 });
    assert.equal((await get(fake, `/a/changes/${ID}`)).status, 503);
    assert.equal((await get(fake, `/a/changes/${ID}`)).status, 503);
    assert.equal((await get(fake, `/a/changes/${ID}`)).status, 200);
    fake.failNext({ path: /review$/, status: 429, headers: { 'retry-after': '1' } });
    const limited = await post(fake, `/a/changes/${ID}/revisions/current/review`, { message: 'x' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.deepEqual(fake.requests.slice(-4).map((r) => r.status), [503, 503, 200, 429]);
  });

  it('ignores robot_comments from 3.13', async () => {
    const robot = { 'manifests/init.pp': [{ line: 3, message: 'robot', robot_id: 'heartbeat-bot', robot_run_id: '1' }] };
    await post(fake, `/a/changes/${ID}/revisions/current/review`, { robot_comments: robot });
    assert.equal(fake.comments(PROJECT, 12345).length, 1);
    fake.version = '3.13.0';
    await post(fake, `/a/changes/${ID}/revisions/current/review`, { robot_comments: robot });
    assert.equal(fake.comments(PROJECT, 12345).length, 1);
    assert.equal((await get(fake, '/config/server/version')).json, '3.13.0');
    fake.version = '3.11.2';
  });

  it('adds patch sets with new revisions', async () => {
    const ref = fake.addPatchSet(PROJECT, 12345, { kind: 'TRIVIAL_REBASE', files: [{ path: 'manifests/init.pp', oldContent: OLD, newContent: NEW }] });
    assert.equal(ref.patchSet, 2);
    const info = (await get(fake, `/a/changes/${ID}?o=ALL_REVISIONS`)).json as Record<string, Json>;
    assert.equal(info.current_revision, ref.revision);
    assert.equal(Object.keys(info.revisions).length, 2);
    assert.equal(info.revisions[ref.revision].kind, 'TRIVIAL_REBASE');
    const inter = (await get(fake, `/a/changes/${ID}/revisions/2/files/?base=1`)).json as Record<string, unknown>;
    assert.deepEqual(Object.keys(inter), ['README.md']);
    assert.equal((await get(fake, `/a/changes/${ID}/revisions/${ref.revision}/files/`)).status, 200);
  });

  it('refuses a JSON body without Content-Type: application/json', async () => {
    const res = await fetch(`${fake.url}/a/changes/${ID}/revisions/current/review`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${fake.user}:${fake.password}`).toString('base64')}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ message: 'x' }),
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Expected Content-Type: application\/json/);
  });

  it('takes patchset-level comments, rejects lines on them and unknown in_reply_to, answers votes', async () => {
    const ok = await post(fake, `/a/changes/${ID}/revisions/current/review`, { labels: { 'Code-Review': -1 }, comments: { '/PATCHSET_LEVEL': [{ message: 'summary' }] } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { labels: { 'Code-Review': -1 } });
    assert.equal(fake.messages(PROJECT, 12345).at(-1)?.message, 'Patch Set 1: Code-Review-1\n\n(1 comment)');
    assert.equal((await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { '/PATCHSET_LEVEL': [{ line: 1, message: 'x' }] } })).status, 400);
    const orphan = await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { 'README.md': [{ line: 1, message: 'x', in_reply_to: 'nope' }] } });
    assert.equal(orphan.status, 400);
    assert.match(orphan.text, /Invalid inReplyTo/);
    const commitMsg = await post(fake, `/a/changes/${ID}/revisions/current/review`, { comments: { '/COMMIT_MSG': [{ line: 7, message: 'subject' }] } });
    assert.equal(commitMsg.status, 200);
    assert.equal((await post(fake, `/a/changes/${ID}/revisions/current/review`, { notify: 'SOME' })).status, 400);
  });

  it('serves content as a JSON string only for Accept: application/json', async () => {
    const res = await fetch(`${fake.url}/changes/${ID}/revisions/current/files/README.md/content`, { headers: { accept: 'application/json' } });
    const body = await res.text();
    assert.ok(body.startsWith(XSSI));
    assert.equal(Buffer.from(JSON.parse(body.slice(XSSI.length)) as string, 'base64').toString('utf8'), '# nova\n');
  });

  it('moves a change\'s updated time when an event about it is emitted, for catch-up', async () => {
    fake.setTime('2026-11-27 06:00:00');
    fake.emitCommentAdded(PROJECT, 12345, undefined, 'recheck', 'alice');
    const found = (await get(fake, `/a/changes/?q=${encodeURIComponent('after:"2026-11-27 05:59:59" project:openstack/puppet-nova')}&o=MESSAGES`)).json as Array<Record<string, Json>>;
    assert.equal(found.length, 1);
    assert.equal(found[0]?.updated, '2026-11-27 06:00:00.000000000');
    assert.equal(found[0]?.messages.at(-1).message, 'Patch Set 1:\n\nrecheck');
    assert.equal(fake.events.length, 1);
  });

  it('delays responses on demand', async () => {
    fake.delay(120);
    const start = Date.now();
    await get(fake, '/config/server/version');
    assert.ok(Date.now() - start >= 100);
    fake.delay(0);
  });

  it('builds webhook bodies like the webhooks plugin', () => {
    const event = fake.patchsetCreatedEvent(PROJECT, 12345);
    const hook = fake.webhookBody(event);
    assert.equal(hook.headers['Content-Type'], 'application/json');
    assert.equal(hook.headers['X-Origin-Url'], fake.url);
    assert.deepEqual(JSON.parse(hook.body), event);
  });
});

interface Session {
  client: InstanceType<typeof Client>;
  lines: string[];
  stderr: string[];
  channel: ClientChannel;
  closed: Promise<void>;
}

function connect(fake: FakeGerrit, user: string, privateKey: string, extra: Record<string, unknown> = {}): Promise<InstanceType<typeof Client>> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client));
    client.on('error', reject);
    client.connect({
      host: fake.ssh.host,
      port: fake.ssh.port,
      username: user,
      privateKey,
      hostVerifier: (key: Buffer) => key.equals(fake.ssh.hostKeyBlob),
      ...extra,
    });
  });
}

async function stream(fake: FakeGerrit, command = 'gerrit stream-events'): Promise<Session> {
  const client = await connect(fake, fake.ssh.user, fake.sshClientKey.private);
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) {
        reject(err);
        return;
      }
      const lines: string[] = [];
      const stderr: string[] = [];
      let buffer = '';
      channel.on('data', (d: Buffer) => {
        buffer += d.toString('utf8');
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          lines.push(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
        }
      });
      channel.stderr.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
      const closed = new Promise<void>((r) => client.on('close', () => r()));
      client.on('error', () => {});
      resolve({ client, lines, stderr, channel, closed });
    });
  });
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('fake Gerrit SSH stream-events', () => {
  let fake: FakeGerrit;
  before(async () => {
    fake = await startFakeGerrit();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    addNovaChange(fake);
  });

  it('accepts a registered public key and rejects unknown keys and passwords', async () => {
    const client = await connect(fake, fake.ssh.user, fake.sshClientKey.private);
    client.end();
    const stranger = fake.generateClientKey();
    await assert.rejects(connect(fake, fake.ssh.user, stranger.private), /authentication methods failed/);
    await assert.rejects(connect(fake, fake.ssh.user, '', { privateKey: undefined, password: fake.password }), /authentication methods failed/);
    fake.addSshKey('zuul', stranger.public);
    const zuul = await connect(fake, 'zuul', stranger.private);
    zuul.end();
  });

  it('streams emitted events as JSON lines, with -s filters and numbers as strings', async () => {
    const all = await stream(fake);
    const filtered = await stream(fake, 'gerrit stream-events -s comment-added');
    await fake.waitForStreams(2);
    assert.equal(fake.streamClients(), 2);
    fake.emitPatchsetCreated(PROJECT, 12345);
    fake.emitCommentAdded(PROJECT, 12345, 1, 'recheck', 'alice');
    fake.emitPatchsetCreated(PROJECT, 12345, 1, { asStrings: true });
    await until(() => all.lines.length === 3 && filtered.lines.length === 1).catch((e: unknown) => {
      throw new Error(`${String(e)}: ${all.lines.length} / ${filtered.lines.length} ${filtered.stderr.join('')}`);
    });
    const [created, comment, stringly] = all.lines.map((l) => JSON.parse(l) as Record<string, Json>);
    assert.equal(created?.type, 'patchset-created');
    assert.equal(created?.change.number, 12345);
    assert.equal(created?.change.project, PROJECT);
    assert.equal(created?.patchSet.ref, 'refs/changes/45/12345/1');
    assert.equal(created?.uploader.username, 'alice');
    assert.equal(typeof created?.eventCreatedOn, 'number');
    assert.equal(comment?.comment, 'Patch Set 1:\n\nrecheck');
    assert.equal(comment?.author.username, 'alice');
    assert.equal(stringly?.change.number, '12345');
    assert.equal(stringly?.patchSet.number, '1');
    assert.equal(JSON.parse(filtered.lines[0] ?? '{}').type, 'comment-added');
    all.client.end();
    filtered.client.end();
    await until(() => fake.streamClients() === 0);
  });

  it('answers other commands with fatal and exit status 1', async () => {
    const s = await stream(fake, 'gerrit query status:open');
    const code = await new Promise<number>((r) => s.channel.on('exit', (c: number) => r(c)));
    assert.equal(code, 1);
    await until(() => s.stderr.join('').includes('fatal:'));
    s.client.end();
  });

  it('drops every connection abruptly and refuses connections for a while', async () => {
    const s = await stream(fake);
    await fake.waitForStreams(1);
    fake.dropStreams();
    await s.closed;
    assert.equal(fake.streamClients(), 0);
    const reopened = fake.refuseSsh(300);
    await assert.rejects(connect(fake, fake.ssh.user, fake.sshClientKey.private), /ECONNREFUSED/);
    await reopened;
    const again = await stream(fake);
    await fake.waitForStreams(1);
    fake.emitWipStateChanged(PROJECT, 12345, false);
    await until(() => again.lines.length === 1);
    assert.equal(JSON.parse(again.lines[0] ?? '{}').type, 'wip-state-changed');
    again.client.end();
  });

  it('leaves keepalives unanswered when stalled, so the client times out', async () => {
    fake.stallKeepalives(true);
    try {
      const client = new Client();
      const failed = new Promise<string>((resolve) => {
        client.on('error', (e: Error) => resolve(e.message));
        client.on('close', () => resolve('closed'));
      });
      client.on('ready', () => {});
      client.connect({ host: fake.ssh.host, port: fake.ssh.port, username: fake.ssh.user, privateKey: fake.sshClientKey.private, keepaliveInterval: 50, keepaliveCountMax: 2 });
      assert.match(await failed, /Keepalive timeout|closed/);
    } finally {
      fake.stallKeepalives(false);
    }
  });

  it('refuses stream-events to a user without the capability, and serves gerrit version', async () => {
    const v = await stream(fake, 'gerrit version');
    await until(() => v.lines.length === 1);
    assert.equal(v.lines[0], 'gerrit version 3.11.2');
    v.client.end();
    fake.denyStreamEvents(fake.user);
    try {
      const s = await stream(fake);
      await until(() => s.stderr.join('').includes('does not have "Stream Events" capability'));
      s.client.end();
    } finally {
      fake.denyStreamEvents(fake.user, false);
    }
  });

  it('answers keepalives', async () => {
    const client = await connect(fake, fake.ssh.user, fake.sshClientKey.private, { keepaliveInterval: 50, keepaliveCountMax: 2 });
    await until(() => fake.keepalives >= 3);
    client.end();
  });
});
