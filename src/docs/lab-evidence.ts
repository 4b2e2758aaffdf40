/**
 * The "Evidence" section of the core rules' READMEs, generated from the evidence lab's lab/results.json
 * (`npm run lab`, lab/run.sh): for each rule, the lab scenarios that bear on it and what was measured. Pure: the
 * caller reads results.json and the READMEs (write-docs.ts writes them, test/docs/lab-evidence.test.ts compares).
 */

export const LAB_EVIDENCE_START = '<!-- lab-evidence:start -->';
export const LAB_EVIDENCE_END = '<!-- lab-evidence:end -->';

/** One scenario of results.json, as far as the rule pages use it (lab/run_lab.py writes the rest too). */
export interface LabScenario {
  id: string;
  kind: 'wsgi' | 'service' | 'drop' | 'mpm';
  outcome: string;
  server?: 'mod_wsgi' | 'uwsgi';
  threads?: number;
  heartbeatInPthread?: boolean;
  heartbeatTimeoutThreshold?: number;
  enableThreads?: boolean;
  brokerRestart?: boolean;
  /** heartbeat_in_pthread with oslo.messaging's reply-waiter swap undone, as before 14.3.0. */
  emulatedPre14_3?: boolean;
  config?: string[];
}

export interface LabResults {
  date: string;
  durationSeconds: number;
  packages: Record<string, string>;
  settings: { idleSeconds: number; rpcResponseTimeout: number };
  scenarios: LabScenario[];
}

interface RuleEvidence {
  /** What the lab measured for this rule: a statement of the setup, never of the result (the table says that). */
  intro: string;
  pick: (s: LabScenario) => boolean;
}

const isWsgi = (s: LabScenario): boolean => s.kind === 'wsgi' && s.brokerRestart !== true;
/** uWSGI with one thread and enable-threads: only the uwsgi-threads-not-enabled comparison needs it. */
const isEnableThreadsCase = (s: LabScenario): boolean => s.server === 'uwsgi' && s.threads === 1 && s.enableThreads === true;

/** The rules the lab has evidence for, in catalogue order. */
export const LAB_EVIDENCE: Record<string, RuleEvidence> = {
  'nova-wsgi-threads-not-1': {
    intro:
      'A nova-api-shaped WSGI app (eventlet monkey-patched at import, an oslo.messaging RPC client, one RPC call per ' +
      'request) under mod_wsgi daemon mode and uWSGI, one process with 1 or 4 threads, idle longer than the ' +
      'heartbeat threshold, then requests.',
    pick: (s) => isWsgi(s) && !isEnableThreadsCase(s),
  },
  'heartbeat-disabled': {
    intro:
      'Heartbeats on (`heartbeat_timeout_threshold = 10`) and off (`0`): the API after idle periods and after a ' +
      'broker restart, and an eventlet RPC server whose path to the broker silently drops packets (an nftables drop ' +
      'in a network namespace, as a stateful firewall that forgot the connection).',
    pick: (s) =>
      (s.kind === 'wsgi' && s.threads === 1 && s.heartbeatInPthread === false) ||
      (s.kind === 'wsgi' && s.brokerRestart === true) ||
      s.kind === 'drop',
  },
  'pthread-heartbeat-on-non-wsgi': {
    intro:
      'A standalone eventlet RPC server (shaped like nova-conductor) with `heartbeat_in_pthread` false and true, ' +
      'idle longer than the heartbeat threshold, then called; and, for comparison, the WSGI API the option was ' +
      'made for.',
    pick: (s) =>
      s.kind === 'service' || (isWsgi(s) && s.server === 'mod_wsgi' && s.threads === 1 && s.heartbeatTimeoutThreshold !== 0),
  },
  'uwsgi-threads-not-enabled': {
    intro:
      'The nova-api-shaped app under uWSGI with one thread, `heartbeat_in_pthread = true`, with and without ' +
      '`enable-threads`: without it the Python plugin never lets a native heartbeat thread run while the worker waits.',
    pick: (s) => isWsgi(s) && s.server === 'uwsgi' && s.threads === 1 && s.heartbeatTimeoutThreshold !== 0,
  },
  'mpm-threads-sizing': {
    intro:
      "Apache's event MPM started with the sizing of this page's Bad and Good examples; what httpd logs at start-up.",
    pick: (s) => s.kind === 'mpm',
  },
};

function yesNo(v: boolean | undefined): string {
  return v === true ? 'true' : 'false';
}

/** The configuration of a scenario in the words of the rule pages. */
export function describeScenario(s: LabScenario): string {
  switch (s.kind) {
    case 'wsgi': {
      const parts = [`${s.server ?? '?'}, threads=${s.threads ?? '?'}`];
      if (isEnableThreadsCase(s)) parts.push('enable-threads');
      parts.push(`heartbeat_in_pthread=${yesNo(s.heartbeatInPthread)}${s.emulatedPre14_3 === true ? ' as before oslo.messaging 14.3.0 (emulated)' : ''}`);
      parts.push(s.heartbeatTimeoutThreshold === 0 ? 'heartbeats off (0)' : `threshold ${s.heartbeatTimeoutThreshold ?? '?'} s`);
      if (s.brokerRestart === true) parts.push('broker restarted while idle');
      return parts.join(', ');
    }
    case 'service':
      return (
        `eventlet RPC server, heartbeat_in_pthread=${yesNo(s.heartbeatInPthread)}, threshold ${s.heartbeatTimeoutThreshold ?? '?'} s` +
        (s.brokerRestart === true ? ', broker restarted while idle' : '')
      );
    case 'drop':
      return `eventlet RPC server, path silently dropped, ${s.heartbeatTimeoutThreshold === 0 ? 'heartbeats off (0)' : `threshold ${s.heartbeatTimeoutThreshold ?? '?'} s`}`;
    case 'mpm':
      return (s.config ?? []).join(', ');
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown between the lab-evidence markers of rules/<ruleId>/README.md. */
export function labEvidenceMarkdown(ruleId: string, results: LabResults): string {
  const evidence = LAB_EVIDENCE[ruleId];
  if (evidence === undefined) throw new Error(`no lab evidence is defined for ${ruleId}`);
  const rows = results.scenarios.filter(evidence.pick);
  if (rows.length === 0) throw new Error(`lab/results.json has no scenario for ${ruleId}: run \`npm run lab\``);
  const p = results.packages;
  const versions = [
    ['apache2', 'apache2'],
    ['mod_wsgi', 'libapache2-mod-wsgi-py3'],
    ['uWSGI', 'uwsgi'],
    ['eventlet', 'python3-eventlet'],
    ['oslo.messaging', 'python3-oslo.messaging'],
    ['RabbitMQ', 'rabbitmq-server'],
  ]
    .filter(([, pkg]) => p[pkg ?? ''] !== undefined)
    .map(([name, pkg]) => `${name} ${p[pkg ?? ''] ?? ''}`)
    .join(', ');
  const minutes = Math.max(1, Math.round(results.durationSeconds / 60));
  const timing = rows.some((s) => s.kind !== 'mpm')
    ? ` Idle periods of ${results.settings.idleSeconds} s, \`rpc_response_timeout = ${results.settings.rpcResponseTimeout}\`.`
    : '';
  return [
    '<!-- generated by `npm run docs` from lab/results.json (written by `npm run lab`); do not edit -->',
    `Measured by the evidence lab on ${results.date} (${versions}). ${evidence.intro}${timing}`,
    '',
    '| configuration | measured |',
    '|---|---|',
    ...rows.map((s) => `| ${cell(describeScenario(s))} | ${cell(s.outcome)} |`),
    '',
    `Reproduce with \`npm run lab\` (root on Debian 12, about ${minutes} minutes for every scenario); every figure ` +
      'and the interpretation: [lab/RESULTS.md](../../lab/RESULTS.md).',
  ].join('\n');
}

/** results.json parsed, with the fields the generator needs checked. */
export function parseLabResults(text: string): LabResults {
  const data = JSON.parse(text) as Partial<LabResults>;
  if (typeof data.date !== 'string' || !Array.isArray(data.scenarios) || typeof data.packages !== 'object' || data.settings === undefined) {
    throw new Error('lab/results.json lacks date, packages, settings or scenarios');
  }
  for (const s of data.scenarios) {
    if (typeof s.id !== 'string' || typeof s.outcome !== 'string') throw new Error(`lab/results.json: scenario without id or outcome`);
  }
  return data as LabResults;
}
