/**
 * What the demo bundle is known to contain, for tests and documentation. Nothing here is typed by
 * hand from the output: the line numbers and values come from the generator, which records where it
 * placed each marker event, so they cannot drift when the scenario changes.
 */
import {
  buildDemo,
  DEMO_ADMIN_IPS,
  DEMO_BRUTE_FORCE_IP,
  DEMO_C2_IP,
  DEMO_HACKER_TOOL_PORTS,
  DEMO_HOST,
  DEMO_HOST_IP,
  DEMO_SCANNER_IP,
  DEMO_SOS_DATE_TEXT,
  DEMO_TIME_RANGE,
  DEMO_TOP_DIR,
} from './demo-files';
import type { DemoScenario, KnownApacheEvent, KnownUfwEvent } from './demo-files';

export type { DemoScenario, KnownApacheEvent, KnownUfwEvent } from './demo-files';

export interface DemoFacts {
  readonly bundleTopDir: string;
  readonly host: string;
  readonly hostIp: string;
  readonly adminIps: readonly string[];
  readonly scannerIp: string;
  readonly bruteForceIp: string;
  /** The outside address the compromised host keeps trying to reach. */
  readonly c2Ip: string;
  readonly hackerToolPorts: readonly number[];
  /** Text of `date` / `sos_commands/date/date`. */
  readonly sosDate: string;
  /** Every log timestamp t satisfies startMs <= t < endMs. */
  readonly timeRange: { readonly startIso: string; readonly endIso: string; readonly startMs: number; readonly endMs: number };
  /** A UFW BLOCK of the port scan (to 31337), in var/log/kern.log. */
  readonly knownUfwEvent: KnownUfwEvent;
  /** The first SQL injection request, in var/log/apache2/access.log. */
  readonly knownApacheEvent: KnownApacheEvent;
  readonly scenario: DemoScenario;
}

function computeFacts(): DemoFacts {
  const build = buildDemo();
  return {
    bundleTopDir: DEMO_TOP_DIR,
    host: DEMO_HOST,
    hostIp: DEMO_HOST_IP,
    adminIps: DEMO_ADMIN_IPS,
    scannerIp: DEMO_SCANNER_IP,
    bruteForceIp: DEMO_BRUTE_FORCE_IP,
    c2Ip: DEMO_C2_IP,
    hackerToolPorts: DEMO_HACKER_TOOL_PORTS,
    sosDate: DEMO_SOS_DATE_TEXT,
    timeRange: {
      ...DEMO_TIME_RANGE,
      startMs: Date.parse(DEMO_TIME_RANGE.startIso),
      endMs: Date.parse(DEMO_TIME_RANGE.endIso),
    },
    knownUfwEvent: build.knownUfwEvent,
    knownApacheEvent: build.knownApacheEvent,
    scenario: build.scenario,
  };
}

export const DEMO_FACTS: DemoFacts = computeFacts();
