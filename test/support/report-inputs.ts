import type { UserActivity } from '../../src/core/audit/user-activity';
import type { ReportEventInput, ReportFinding, ReportInputs } from '../../src/core/report/index';

/**
 * Synthetic report inputs: `findings` findings of `eventsPerFinding` events each, with raw lines
 * the caller may make hostile, an audit trail and evidence files. For the report's unit tests and
 * its benchmark (bench/report): the size of a report grows with findings, excerpt and users.
 */
export interface SyntheticReport {
  readonly findings?: number;
  readonly eventsPerFinding?: number;
  readonly files?: number;
  readonly auditActions?: number;
  /** The raw text of event `i` of finding `f`. */
  readonly raw?: (f: number, i: number) => string;
  readonly title?: (f: number) => string;
  readonly user?: (u: number) => string;
}

const T0 = Date.UTC(2026, 2, 12, 8, 0, 0);
const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'] as const;

export function syntheticReportInputs(spec: SyntheticReport = {}): ReportInputs {
  const nFindings = spec.findings ?? 3;
  const perFinding = spec.eventsPerFinding ?? 20;
  const raw = spec.raw ?? ((f, i) => `Mar 12 08:${String(f % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} maas-region-01 kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.${f % 250} DST=10.0.0.5 PROTO=TCP SPT=${40000 + i} DPT=${1000 + i}`);
  const events: ReportEventInput[] = [];
  const findings: ReportFinding[] = [];
  const findingTimes: Record<number, number[]> = {};
  for (let f = 0; f < nFindings; f++) {
    const ids: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < perFinding; i++) {
      const id = f * 4096 + i;
      const timestamp = T0 + f * 600_000 + i * 1000;
      ids.push(id);
      times.push(timestamp);
      events.push({ id, timestamp, host: 'maas-region-01', dataset: 'ufw', filePath: 'sosreport-maas-region-01/var/log/kern.log', line: f * 1000 + i + 1, raw: raw(f, i) });
    }
    findings.push({
      id: f + 1, ruleId: `rule-${f}`, title: spec.title?.(f) ?? `Synthetic finding ${f + 1}`, level: LEVELS[f % LEVELS.length]!, kind: f % 2 === 0 ? 'correlation' : 'rule',
      authors: ['Loupe project', 'Thomas Patzke (SigmaHQ, original rule); Loupe project (correlation form)'], first: times[0]!, last: times[times.length - 1]!,
      count: perFinding, hosts: ['maas-region-01'], entities: { 'source.ip': `203.0.113.${f % 250}` }, eventIds: ids,
    });
    findingTimes[f + 1] = times;
  }
  const nUsers = 3;
  const perUser = Math.ceil((spec.auditActions ?? 30) / nUsers);
  const userActivity: UserActivity[] = Array.from({ length: nUsers }, (_, u) => {
    const actions = Array.from({ length: perUser }, (_, i) => ({
      eventId: 900_000 + u * 1000 + i, timestamp: T0 + i * 60_000, action: 'node-deployed', type: 'Node', node: `worker-0${i % 9}`, description: `Started deploying 'worker-0${i % 9}'.`,
    }));
    return { user: spec.user?.(u) ?? `user${u}`, first: actions[0]!.timestamp, last: actions[actions.length - 1]!.timestamp, actions, byAction: [['node-deployed', perUser]], nodes: ['worker-01'] };
  });
  const evidence = Array.from({ length: spec.files ?? 12 }, (_, i) => ({
    path: `sosreport-maas-region-01/var/log/file-${i}.log`, bytes: 10_000 + i, sha256: (i.toString(16).padStart(2, '0')).repeat(32), format: 'syslog', host: 'maas-region-01',
    lines: 100, parsed: 90, continued: 5, unparsed: 5, errors: [],
  }));
  const last = T0 + nFindings * 600_000;
  const eventTimes = new Float64Array(events.length);
  events.forEach((e, i) => { eventTimes[i] = e.timestamp; });
  return {
    caseName: 'Synthetic case', caseCreatedAt: T0, generatedAt: last + 3_600_000, generator: 'Loupe test',
    evidence, bundles: [], totalEvents: events.length, hosts: ['maas-region-01'], tsMin: T0, tsMax: last,
    findings, rules: findings.map((f) => ({ id: f.ruleId, title: f.title, level: f.level, author: 'Loupe project', description: 'Synthetic rule.' })),
    annotations: [], events, findingTimes, eventTimes, userActivity,
  };
}
