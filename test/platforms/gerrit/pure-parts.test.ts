/** The Gerrit platform's pure parts: event normalisation, retry policy, versions, XSSI, tokens, comment text. */
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyEvent, isRecheck, normalizeEvent, projectMatcher } from '../../../src/platforms/gerrit/normalize-event.js';
import { backoffDelay, changeId, isRetryableStatus, parseGerritJson, versionAtLeast } from '../../../src/platforms/gerrit/gerrit-client.js';
import { tokenMatches } from '../../../src/platforms/gerrit/webhook-token.js';
import { commentLocation, concurrencyTable, fixSuggestionOf } from '../../../src/platforms/gerrit/comment-body.js';
import { parseMarker, markerLine } from '../../../src/platforms/gerrit/markers.js';
import { botThreads, isOurTag, voteOf } from '../../../src/platforms/gerrit/review-change.js';
import { catchUpQuery } from '../../../src/platforms/gerrit/catch-up.js';
import { LineSplitter, hostKeyMatches, reconnectDelay } from '../../../src/platforms/gerrit/stream-events.js';
import type { Finding } from '../../../src/model/finding.js';

const ctx = { botUser: 'heartbeat-bot', botName: 'heartbeat-bot', now: () => 1000 };
const change = (over: Record<string, unknown> = {}) => ({ project: 'openstack/puppet-nova', branch: 'master', number: 12345, status: 'NEW', ...over });
const ps = (over: Record<string, unknown> = {}) => ({ number: 3, revision: 'a'.repeat(40), kind: 'REWORK', uploader: { username: 'alice' }, ...over });
const created = (over: Record<string, unknown> = {}) => ({ type: 'patchset-created', change: change(), patchSet: ps(), uploader: { name: 'Alice', username: 'alice' }, eventCreatedOn: 1700000000, ...over });
const comment = (text: string, author = 'bob') => ({ type: 'comment-added', change: change(), patchSet: ps(), author: { username: author }, comment: text });

describe('normalizeEvent', () => {
  it('patchset-created, with numbers as strings normalised', () => {
    assert.deepEqual(normalizeEvent(created(), ctx), {
      kind: 'patchset-created', project: 'openstack/puppet-nova', branch: 'master', change: 12345, patchSet: 3, revision: 'a'.repeat(40),
      patchSetKind: 'REWORK', author: 'alice', createdAt: 1700000000000, receivedAt: 1000,
    });
    const strings = created({ change: change({ number: '12345' }), patchSet: ps({ number: '3' }), eventCreatedOn: '1700000000' });
    assert.deepEqual(normalizeEvent(strings, ctx), normalizeEvent(created(), ctx));
    assert.deepEqual(normalizeEvent(JSON.stringify(created()), ctx), normalizeEvent(created(), ctx));
  });

  it('trivial kinds are flagged, WIP is ignored unless reviewWip', () => {
    for (const kind of ['TRIVIAL_REBASE', 'NO_CODE_CHANGE', 'NO_CHANGE']) assert.equal(normalizeEvent(created({ patchSet: ps({ kind }) }), ctx)?.trivial, true);
    assert.equal(normalizeEvent(created({ patchSet: ps({ kind: 'TRIVIAL_REBASE_WITH_MESSAGE_UPDATE' }) }), ctx)?.trivial, undefined);
    assert.deepEqual(classifyEvent(created({ change: change({ wip: true }) }), ctx), { ignored: 'work in progress' });
    assert.equal(normalizeEvent(created({ change: change({ wip: true }) }), { ...ctx, reviewWip: true })?.wip, true);
  });

  it('recheck comments in their forms; other comments and the bot\'s own are ignored', () => {
    for (const text of ['recheck', 'Patch Set 3:\n\nrecheck', 'Patch Set 3: Code-Review+1\n\nrecheck heartbeat-bot', 'Patch Set 3:\n\n(1 comment)\n\nRECHECK', '  recheck  \nbecause the mirror failed']) {
      assert.equal(normalizeEvent(comment(text), ctx)?.kind, 'recheck', text);
    }
    for (const text of ['Patch Set 3: Code-Review+2', 'recheck zuul', 'please recheck', 'rechecking', '']) {
      assert.deepEqual(classifyEvent(comment(text), ctx), { ignored: 'comment is not a recheck' }, text);
    }
    assert.deepEqual(classifyEvent(comment('recheck', 'heartbeat-bot'), ctx), { ignored: 'comment-added by the bot itself' });
    assert.deepEqual(classifyEvent(created({ uploader: { username: 'heartbeat-bot' } }), ctx), { ignored: 'patchset-created by the bot itself' });
  });

  it('wip-state-changed to ready; to WIP ignored', () => {
    const ready = { type: 'wip-state-changed', change: change(), patchSet: ps(), changer: { username: 'alice' } };
    assert.equal(normalizeEvent(ready, ctx)?.kind, 'ready');
    assert.deepEqual(classifyEvent({ ...ready, change: change({ wip: true }) }, ctx), { ignored: 'wip-state-changed to work in progress' });
  });

  it('project globs, closed changes, other types and garbage', () => {
    const watched = { ...ctx, projects: ['openstack/puppet-*', 'openstack/tripleo-heat-templates'] };
    assert.ok(normalizeEvent(created(), watched));
    assert.deepEqual(classifyEvent(created({ change: change({ project: 'openstack/nova' }) }), watched), { ignored: 'project openstack/nova is not watched' });
    assert.deepEqual(classifyEvent(created({ change: change({ status: 'MERGED' }) }), ctx), { ignored: 'change is MERGED' });
    assert.deepEqual(classifyEvent({ type: 'ref-updated', refUpdate: {} }, ctx), { ignored: 'event type ref-updated' });
    for (const raw of [undefined, null, 42, 'not json', '[]', [], {}, { type: 'patchset-created' }, created({ change: change({ number: 'x' }) }), created({ patchSet: null }), created({ change: 'x' })]) {
      assert.equal(normalizeEvent(raw, ctx), undefined);
      assert.ok('ignored' in classifyEvent(raw, ctx));
    }
    assert.equal(projectMatcher(undefined)('anything'), true);
    assert.equal(projectMatcher(['x/**'])('x/y/z'), true);
  });

  it('isRecheck with another bot name', () => {
    assert.equal(isRecheck('recheck hb-ci', 'hb-ci'), true);
    assert.equal(isRecheck('recheck heartbeat-bot', 'hb-ci'), false);
  });
});

describe('Gerrit REST client policy', () => {
  it('retries 5xx, 408, 409, 429 and network errors; not other 4xx', () => {
    for (const s of [500, 502, 503, 408, 409, 429, undefined]) assert.equal(isRetryableStatus(s), true, String(s));
    for (const s of [400, 401, 403, 404, 412, 422]) assert.equal(isRetryableStatus(s), false, String(s));
  });

  it('backs off exponentially with equal jitter, capped; Retry-After wins when shorter than the cap', () => {
    const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, () => 0)), [50, 100, 200, 400, 500]);
    assert.deepEqual([1, 2, 5].map((a) => backoffDelay(a, policy, () => 0.999999)), [100, 200, 1000]);
    assert.equal(backoffDelay(1, policy, () => 0, '1'), 1000);
    assert.equal(backoffDelay(1, policy, () => 0, '60'), 50);
  });

  it('versions, XSSI, change ids, tokens', () => {
    assert.equal(versionAtLeast('3.10.1-12-gabcdef', 3, 10), true);
    assert.equal(versionAtLeast('3.9.9', 3, 10), false);
    assert.equal(versionAtLeast('4.0', 3, 10), true);
    assert.equal(versionAtLeast('unknown', 3, 10), false);
    assert.deepEqual(parseGerritJson(")]}'\n{\"a\":1}"), { a: 1 });
    assert.deepEqual(parseGerritJson('[1]'), [1]);
    assert.equal(parseGerritJson(")]}'\n"), undefined);
    assert.equal(changeId('openstack/puppet-nova', 5), 'openstack%2Fpuppet-nova~5');
    assert.equal(tokenMatches('s3cret', 's3cret'), true);
    assert.equal(tokenMatches('s3cret ', 's3cret'), false);
    assert.equal(tokenMatches(undefined, 's3cret'), false);
    assert.equal(tokenMatches('', ''), false);
  });
});

describe('Gerrit comments', () => {
  const finding = (over: Partial<Finding> = {}): Finding => ({ ruleId: 'r', severity: 'error', path: 'f', line: 2, endLine: 2, message: 'm', references: [], ...over });
  const lines = ['a', 'bb', 'ccc'];

  it('ranges: 0-based characters, end exclusive; line when there are no columns', () => {
    assert.deepEqual(commentLocation(finding({ column: 3, endColumn: 5 }), (n) => lines[n - 1]), { range: { start_line: 2, start_character: 2, end_line: 2, end_character: 4 } });
    assert.deepEqual(commentLocation(finding(), (n) => lines[n - 1]), { line: 2 });
    assert.deepEqual(commentLocation(finding({ endLine: 3 }), (n) => lines[n - 1]), { range: { start_line: 2, start_character: 0, end_line: 3, end_character: 3 } });
    assert.deepEqual(commentLocation(finding({ column: 2, endColumn: 2 }), (n) => lines[n - 1]), { line: 2 });
  });

  it('fix suggestions replace whole lines, up to the end of the file', () => {
    assert.deepEqual(fixSuggestionOf(finding({ suggestion: { line: 2, endLine: 2, replacement: 'x' } }), lines)?.replacements[0], { path: 'f', range: { start_line: 2, start_character: 0, end_line: 3, end_character: 0 }, replacement: 'x\n' });
    assert.deepEqual(fixSuggestionOf(finding({ suggestion: { line: 3, endLine: 3, replacement: 'y\n' } }), lines)?.replacements[0], { path: 'f', range: { start_line: 3, start_character: 0, end_line: 3, end_character: 3 }, replacement: 'y' });
    assert.equal(fixSuggestionOf(finding({ suggestion: { line: 4, endLine: 4, replacement: 'z' } }), lines), undefined);
  });

  it('markers, tags, votes, the concurrency table without HTML', () => {
    assert.deepEqual(parseMarker('hb', `text\n\n${markerLine('hb', 'ab12cd34:2')}`), { fingerprint: 'ab12cd34:2', fixed: false });
    assert.deepEqual(parseMarker('hb', markerLine('hb', 'ab12cd34:2', true)), { fingerprint: 'ab12cd34:2', fixed: true });
    assert.equal(parseMarker('hb', 'other:ab12cd34:2'), undefined);
    assert.equal(isOurTag('autogenerated:hb', 'hb'), true);
    assert.equal(isOurTag('autogenerated:hb~recheck', 'hb'), true);
    assert.equal(isOurTag('autogenerated:hbx', 'hb'), false);
    assert.deepEqual([voteOf([{ severity: 'error' }]), voteOf([{ severity: 'warning' }]), voteOf([])], [-1, 0, 1]);
    const table = concurrencyTable([{ service: 'nova-api', threads: { value: '4', from: 'hiera' } }]);
    assert.match(table, /^Effective concurrency\n\n\| service \|/);
    assert.doesNotMatch(table, /<|####/);
  });

  it('bot threads: state from the latest comment, fixed by our reply, others ignored', () => {
    const m = (fp: string, fixed = false) => `x\n\n${markerLine('hb', fp, fixed)}`;
    const threads = botThreads({
      f: [
        { id: '1', message: m('aaaaaaaa:1'), unresolved: true, updated: '2024-01-01 00:00:01', author: { username: 'bot' } },
        { id: '2', in_reply_to: '1', message: 'Done', unresolved: false, updated: '2024-01-01 00:00:02', author: { username: 'alice' } },
        { id: '3', message: m('bbbbbbbb:1'), unresolved: true, updated: '2024-01-01 00:00:01', author: { username: 'bot' } },
        { id: '4', in_reply_to: '3', message: m('bbbbbbbb:1', true), unresolved: false, updated: '2024-01-01 00:00:03', author: { username: 'bot' } },
        { id: '5', message: m('cccccccc:1'), unresolved: true, updated: '2024-01-01 00:00:01', author: { username: 'mallory' } },
      ],
    }, 'hb', 'bot');
    assert.deepEqual(threads.map((t) => [t.fingerprint, t.unresolved, t.fixed, t.last.id]), [['aaaaaaaa:1', false, false, '2'], ['bbbbbbbb:1', false, true, '4']]);
  });
});

describe('catch-up query and stream parsing', () => {
  it('queries open changes after a UTC time, on exact project names', () => {
    const since = new Date('2026-11-27T03:04:05.678Z');
    assert.equal(catchUpQuery(since), 'status:open after:"2026-11-27 03:04:05"');
    assert.equal(catchUpQuery(since, ['openstack/a', 'openstack/b']), 'status:open after:"2026-11-27 03:04:05" (project:openstack/a OR project:openstack/b)');
    assert.equal(catchUpQuery(since, ['openstack/puppet-*']), 'status:open after:"2026-11-27 03:04:05"');
  });

  it('splits lines across chunk boundaries, multi-byte characters included', () => {
    const s = new LineSplitter();
    const text = Buffer.from('{"a":"é"}\n{"b":1}\r\n{"c"');
    assert.deepEqual(s.push(text.subarray(0, 8)), []);
    assert.deepEqual(s.push(text.subarray(8)), ['{"a":"é"}', '{"b":1}']);
    assert.deepEqual(s.push(':2}\n\n'), ['{"c":2}']);
  });

  it('host keys by line, blob or fingerprint; reconnect delays', () => {
    const blob = Buffer.from('fake-key-blob');
    assert.equal(hostKeyMatches(blob, `ssh-ed25519 ${blob.toString('base64')} comment`), true);
    assert.equal(hostKeyMatches(blob, `[review.example.org]:29418 ssh-ed25519 ${blob.toString('base64')}`), true);
    assert.equal(hostKeyMatches(blob, blob.toString('base64')), true);
    assert.equal(hostKeyMatches(Buffer.from('other'), blob.toString('base64')), false);
    assert.equal(hostKeyMatches(blob, `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`), true);
    assert.deepEqual([1, 2, 3, 10].map((a) => reconnectDelay(a, { baseMs: 100, maxMs: 1000 }, () => 0)), [50, 100, 200, 500]);
  });
});
