/**
 * StreamEvents against the fake Gerrit's ssh2 daemon, and the catch-up query against its REST API: events
 * received and normalised, a reconnect with backoff after the daemon drops the connection (and the events lost
 * meanwhile found by the catch-up query), a host key mismatch refused, stop().
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { StreamEvents, STREAM_COMMAND } from '../../../src/platforms/gerrit/stream-events.js';
import { normalizeEvent } from '../../../src/platforms/gerrit/normalize-event.js';
import { changesUpdatedSince } from '../../../src/platforms/gerrit/catch-up.js';
import { GerritClient } from '../../../src/platforms/gerrit/gerrit-client.js';
import { startFakeGerrit, type FakeGerrit } from '../../fakes/gerrit/fake-gerrit.js';
import { FIRST_FILES, PROJECT, addChange } from './scenario.js';

const quiet = { info() {}, warn() {}, error() {} };

function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('Gerrit stream-events over SSH', () => {
  let fake: FakeGerrit;
  before(async () => {
    fake = await startFakeGerrit();
  });
  after(async () => fake.close());

  const stream = (over: Partial<ConstructorParameters<typeof StreamEvents>[0]> = {}) =>
    new StreamEvents({
      host: fake.ssh.host,
      port: fake.ssh.port,
      user: fake.user,
      privateKey: fake.sshClientKey.private,
      hostKey: fake.ssh.hostKey,
      backoff: { baseMs: 20, maxMs: 100 },
      random: () => 0.5,
      keepaliveMs: 1000,
      log: quiet,
      ...over,
    });

  it('receives events, normalised the same as webhooks, and stops cleanly', async () => {
    fake.reset();
    addChange(fake, 1, FIRST_FILES);
    const s = stream();
    const events: unknown[] = [];
    s.on('event', (e) => events.push(e));
    const connected = once(s, 'connected');
    s.start();
    await connected;
    assert.equal(s.connected, true);
    assert.deepEqual(fake.sshCommands.map((c) => c.command), [STREAM_COMMAND]);
    fake.emitPatchsetCreated(PROJECT, 1, undefined, { asStrings: true });
    fake.emitCommentAdded(PROJECT, 1, 1, 'recheck', 'alice', { approvals: { 'Code-Review': 1 } });
    fake.emitCommentAdded(PROJECT, 1, 1, 'Looks good', 'alice', { approvals: { 'Code-Review': 1 } });
    await waitFor(() => events.length === 3);
    const ctx = { botUser: fake.user, botName: 'heartbeat-bot' };
    assert.deepEqual(events.map((e) => normalizeEvent(e, ctx)?.kind), ['patchset-created', 'recheck', undefined]);
    assert.equal(normalizeEvent(events[0], ctx)?.change, 1);
    assert.deepEqual(normalizeEvent(fake.webhookBody(fake.events[1]!).json, ctx)?.kind, 'recheck');
    const disconnected = once(s, 'disconnected');
    await s.stop();
    await disconnected;
    assert.equal(s.connected, false);
    await waitFor(() => fake.streamClients() === 0);
  });

  it('reconnects with backoff after the connection drops; the catch-up query finds what was missed', async () => {
    fake.reset();
    const s = stream();
    let connects = 0;
    s.on('connected', () => connects++);
    s.start();
    await waitFor(() => connects === 1);
    const since = new Date(fake.now() - 1000);
    fake.dropStreams();
    await once(s, 'disconnected');
    // Lost while disconnected (emitted before the reconnect), found by the catch-up query.
    addChange(fake, 2, FIRST_FILES);
    fake.emitPatchsetCreated(PROJECT, 2);
    await waitFor(() => connects === 2);
    assert.equal(s.reconnects, 1);
    const client = new GerritClient({ url: fake.url, user: fake.user, password: fake.password, botName: 'heartbeat-bot' }, { log: quiet });
    const missed = await changesUpdatedSince(client, since, [PROJECT]);
    assert.deepEqual(missed.map((e) => [e.kind, e.project, e.change, e.patchSet]), [['patchset-created', PROJECT, 2, 1]]);
    assert.equal((await changesUpdatedSince(client, since, ['openstack/other'])).length, 0);
    await s.stop();
  });

  it('keeps retrying while SSH refuses connections', async () => {
    fake.reset();
    const s = stream();
    let connects = 0;
    s.on('connected', () => connects++);
    s.start();
    await waitFor(() => connects === 1);
    const refused = fake.refuseSsh(300);
    fake.dropStreams();
    await refused;
    await waitFor(() => connects === 2, 8000);
    assert.ok(s.reconnects >= 2, `reconnects: ${s.reconnects}`);
    await s.stop();
  });

  it('refuses a server whose host key is not the configured one', async () => {
    fake.reset();
    await waitFor(() => fake.streamClients() === 0);
    const commands = fake.sshCommands.length;
    const other = fake.generateClientKey('other');
    const s = stream({ hostKey: other.public });
    const errors: Error[] = [];
    s.on('error', (e: Error) => errors.push(e));
    let connected = false;
    s.on('connected', () => (connected = true));
    s.start();
    await waitFor(() => s.reconnects >= 1);
    await s.stop();
    assert.equal(connected, false);
    assert.equal(fake.sshCommands.length, commands);
    assert.ok(errors.length >= 1);
  });
});
