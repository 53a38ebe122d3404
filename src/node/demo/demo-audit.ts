/**
 * The demo's MAAS audit log: what `maas maasops events query level=AUDIT` printed for the day, as
 * an analyst adds it next to the sos report (sos does not collect it). It tells the same story as
 * the access and maas.log lines of demo-files.ts: the morning commissioning and the afternoon
 * release by the operator, and the takeover of the `maasops` account from the scanner's address
 * (token created, SSH keys imported, worker-04 allocated and deployed). Format: log-formats.md
 * section 7; events are newest first, as the API returns them.
 */

export const DEMO_AUDIT_FILE = 'maas_events_query_level_AUDIT.json';

export interface AuditMachine {
  readonly hostname: string;
  readonly systemId: string;
}

/** One audit event as the demo writes it; `at` is UTC ms on the demo day. */
export interface DemoAuditEvent {
  readonly at: number;
  readonly username: string;
  readonly type: 'Authorisation' | 'Node' | 'Settings' | 'Tag';
  readonly description: string;
  readonly machine?: AuditMachine;
}

function day(h: number, m: number, s: number): number {
  return Date.UTC(2026, 2, 12, h, m, s);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `strftime("%a, %d %b. %Y %H:%M:%S")` in UTC (the region's zone is Etc/UTC). */
function created(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}. ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The day's audit events in time order; `machines` are the demo's workers (index 1 = worker-02, ...). */
export function demoAuditEvents(machines: readonly AuditMachine[]): DemoAuditEvent[] {
  const m = (i: number): AuditMachine => {
    const machine = machines[i];
    if (machine === undefined) throw new Error(`no machine ${i}`);
    return machine;
  };
  const w2 = m(1);
  const w4 = m(3);
  const w6 = m(5);
  return [
    { at: day(8, 14, 31), username: 'maasops', type: 'Authorisation', description: 'Logged in admin.' },
    { at: day(8, 22, 39), username: 'maasops', type: 'Node', description: `Started commissioning on '${w6.hostname}'.`, machine: w6 },
    { at: day(8, 41, 2), username: 'maasops', type: 'Settings', description: "Updated configuration setting 'ntp_servers' to 'ntp.ubuntu.com'." },
    { at: day(9, 2, 55), username: 'maasops', type: 'Authorisation', description: 'Logged out admin.' },
    // The takeover: the scanner's address logs in after seven failures (access.log 11:02:17).
    { at: day(11, 2, 17), username: 'maasops', type: 'Authorisation', description: 'Logged in admin.' },
    { at: day(11, 3, 40), username: 'maasops', type: 'Authorisation', description: 'Created API (OAuth) token.' },
    { at: day(11, 8, 44), username: 'maasops', type: 'Authorisation', description: 'Imported SSH keys.' },
    { at: day(11, 10, 3), username: 'maasops', type: 'Node', description: `Acquired '${w4.hostname}'.`, machine: w4 },
    { at: day(11, 10, 41), username: 'maasops', type: 'Node', description: `Started deploying '${w4.hostname}'.`, machine: w4 },
    { at: day(11, 12, 9), username: 'maasops', type: 'Settings', description: "Updated configuration setting 'enable_analytics' to 'False'." },
    { at: day(13, 24, 51), username: 'operator', type: 'Authorisation', description: 'Logged in user.' },
    { at: day(14, 3, 55), username: 'operator', type: 'Node', description: `Started releasing '${w2.hostname}'.`, machine: w2 },
    { at: day(14, 20, 12), username: 'operator', type: 'Tag', description: "Tag 'gpu' updated." },
    { at: day(14, 58, 30), username: 'operator', type: 'Authorisation', description: 'Logged out user.' },
    { at: day(16, 40, 30), username: 'maasops', type: 'Authorisation', description: 'Logged in admin.' },
    { at: day(16, 52, 7), username: 'maasops', type: 'Authorisation', description: "Deleted SSH key id='14'." },
  ];
}

/** The file's text: the CLI preamble, then one pretty-printed events-query document, newest first. */
export function demoAuditFile(machines: readonly AuditMachine[]): string {
  const events = demoAuditEvents(machines);
  const firstId = 4102;
  const objects = events.map((e, i) => ({
    username: e.username,
    node: e.machine?.systemId ?? null,
    hostname: e.machine?.hostname ?? 'unknown',
    id: firstId + i,
    level: 'AUDIT',
    created: created(e.at),
    type: e.type,
    description: e.description,
  })).reverse();
  const document = {
    count: objects.length,
    events: objects,
    next_uri: `/MAAS/api/2.0/events/?op=query&level=AUDIT&after=${firstId + events.length - 1}`,
    prev_uri: `/MAAS/api/2.0/events/?op=query&level=AUDIT&before=${firstId}`,
  };
  return `Success.\nMachine-readable output follows:\n${JSON.stringify(document, null, 4)}\n`;
}
