/**
 * What the evidence lab measured and the rules now encode (lab/RESULTS.md): nova-wsgi-threads-not-1 is an error
 * for threads > 1 in nova's eventlet window, heartbeats on or off, except that `heartbeat_in_pthread = true`
 * reaching the API on an oslo.messaging >= 14.3.0 (reply waiter in a native thread too) makes it a warning.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/load-rules.js';
import { review } from '../../src/engine/review.js';
import type { Rule } from '../../src/model/rule.js';
import { loadKnowledge } from '../../src/settings/load-knowledge.js';

let rules: Rule[];
const knowledge = loadKnowledge();
before(async () => {
  rules = await loadRules();
});

const threads = (hiera: string, release: string) =>
  review({ files: [{ path: 'hieradata/common.yaml', status: 'added', newContent: `---\n${hiera}` }], wholeFiles: true }, rules, knowledge, { release })
    .findings.filter((f) => f.ruleId === 'nova-wsgi-threads-not-1');

describe('nova-wsgi-threads-not-1 after the lab', () => {
  const four = 'nova::wsgi::apache_api::threads: 4\n';
  const pthread = 'nova::rabbit_heartbeat_in_pthread: true\n';

  it('blames the reply waiter, heartbeats on or off, not the heartbeat alone', () => {
    const [f] = threads(four, '2024.1');
    assert.equal(f?.severity, 'error');
    assert.match(f?.message ?? '', /greenthread that receives RPC replies.*MessagingTimeout.*heartbeats on or off/);
    assert.deepEqual(threads(`${four}nova::rabbit_heartbeat_timeout_threshold: 0\n`, '2024.1').map((x) => x.severity), ['error']);
  });

  it('is a warning when heartbeat_in_pthread = true reaches nova-api on oslo.messaging >= 14.3.0', () => {
    for (const release of ['2023.2', '2024.1', '2025.2']) {
      const [f] = threads(`${pthread}${four}`, release);
      assert.equal(f?.severity, 'warning', release);
      assert.match(f?.message ?? '', /heartbeat_in_pthread = true \(hieradata\/common\.yaml:2\).*deprecated.*threads to 1/);
    }
  });

  it('stays an error with heartbeat_in_pthread where oslo.messaging predates 14.3.0, or when it is false', () => {
    for (const release of ['wallaby', 'yoga', 'zed', '2023.1']) assert.equal(threads(`${pthread}${four}`, release)[0]?.severity, 'error', release);
    assert.equal(threads(`nova::rabbit_heartbeat_in_pthread: false\n${four}`, '2024.1')[0]?.severity, 'error');
  });

  it('does not count a pthread setting that reaches another project', () => {
    assert.equal(threads(`neutron::rabbit_heartbeat_in_pthread: true\n${four}`, '2024.1')[0]?.severity, 'error');
  });
});
