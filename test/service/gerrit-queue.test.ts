/** Gerrit job keys on the in-process queue: dedupe per patch set, a newer patch set supersedes, rechecks run again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gerritJobKey, keyGroup, keyIsOlder, type GerritJob } from '../../src/service/job-queue.js';
import { InProcessQueue, type QueueEvent } from '../../src/service/in-process-queue.js';

const job = (patchSet: number, recheck = false, change = 12345, project = 'openstack/puppet-nova'): GerritJob => ({
  project,
  change,
  patchSet,
  recheck,
  reason: recheck ? 'recheck' : 'patchset-created',
  source: 'stream',
  receivedAt: 0,
});
const key = (patchSet: number, recheck = false, change = 12345, project = 'openstack/puppet-nova'): string =>
  gerritJobKey(job(patchSet, recheck, change, project));

test('gerritJobKey is gerrit:<project>~<change>,<patch set>; a recheck has its own suffix; the group is the change', () => {
  assert.equal(key(3), 'gerrit:openstack/puppet-nova~12345,3');
  assert.equal(key(3, true), 'gerrit:openstack/puppet-nova~12345,3+recheck');
  assert.equal(keyGroup(key(3)), 'gerrit:openstack/puppet-nova~12345');
  assert.equal(keyGroup(key(4, true)), 'gerrit:openstack/puppet-nova~12345');
  // A project name with '@' or ',' does not confuse the group.
  assert.equal(keyGroup(key(2, false, 7, 'team@x/a,b')), 'gerrit:team@x/a,b~7');
  // GitHub keys are unchanged.
  assert.equal(keyGroup('github:o/r#1@abc'), 'github:o/r#1');
});

test('keyIsOlder orders patch sets, and a plain review before a recheck of the same patch set', () => {
  assert.equal(keyIsOlder(key(2), key(3)), true);
  assert.equal(keyIsOlder(key(3), key(2)), false);
  assert.equal(keyIsOlder(key(3), key(3, true)), true);
  assert.equal(keyIsOlder(key(3, true), key(3)), false);
  assert.equal(keyIsOlder(key(3, true), key(4)), true);
  assert.equal(keyIsOlder(key(2), key(3, false, 999)), false, 'other change');
  assert.equal(keyIsOlder('github:o/r#1@a', 'github:o/r#1@b'), false, 'GitHub versions are unordered');
});

function recorder(): { queue: InProcessQueue<GerritJob>; events: QueueEvent[]; ran: string[]; release: () => void } {
  const events: QueueEvent[] = [];
  const ran: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const queue = new InProcessQueue<GerritJob>({ onEvent: (e) => events.push(e) });
  queue.start(async (j) => {
    ran.push(gerritJobKey(j));
    await gate;
  }, 4);
  return { queue, events, ran, release };
}

test('the same patch set twice is one review; a newer patch set supersedes the waiting older one', async () => {
  const r = new InProcessQueue<GerritJob>();
  assert.equal(await r.enqueue(key(1), job(1)), 'queued');
  assert.equal(await r.enqueue(key(1), job(1)), 'duplicate');
  assert.equal(await r.enqueue(key(2), job(2)), 'superseded');
  assert.equal(r.depth(), 1);
  const ran: string[] = [];
  r.start(async (j) => void ran.push(gerritJobKey(j)), 2);
  await r.drain();
  assert.deepEqual(ran, [key(2)]);
});

test('an older patch set than waiting or running work is not queued', async () => {
  const { queue, events, ran, release } = recorder();
  assert.equal(await queue.enqueue(key(5), job(5)), 'queued'); // runs at once (blocked on the gate)
  assert.equal(await queue.enqueue(key(4), job(4)), 'duplicate', 'older than the running one');
  assert.equal(await queue.enqueue(key(6), job(6)), 'queued', 'newer waits for the running one of its change');
  assert.equal(await queue.enqueue(key(5, true), job(5, true)), 'duplicate', 'a recheck of 5 is older than 6');
  assert.ok(events.some((e) => e.type === 'dropped' && e.key === key(4)));
  release();
  await queue.drain();
  assert.deepEqual(ran, [key(5), key(6)]);
});

test('a recheck supersedes a waiting plain review of its patch set, and a plain one does not replace a recheck', async () => {
  const r = new InProcessQueue<GerritJob>();
  assert.equal(await r.enqueue(key(3), job(3)), 'queued');
  assert.equal(await r.enqueue(key(3, true), job(3, true)), 'superseded');
  assert.equal(await r.enqueue(key(3), job(3)), 'duplicate');
  const ran: string[] = [];
  r.start(async (j) => void ran.push(gerritJobKey(j)), 1);
  await r.drain();
  assert.deepEqual(ran, [key(3, true)]);
  // Once done, a recheck of the same patch set runs again.
  assert.equal(await r.enqueue(key(3, true), job(3, true)), 'queued');
  await r.drain();
  assert.deepEqual(ran, [key(3, true), key(3, true)]);
});

test('different changes run side by side', async () => {
  const { queue, ran, release } = recorder();
  await queue.enqueue(key(1, false, 1), job(1, false, 1));
  await queue.enqueue(key(1, false, 2), job(1, false, 2));
  assert.equal(queue.running(), 2);
  release();
  await queue.drain();
  assert.equal(ran.length, 2);
});
