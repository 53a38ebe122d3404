import { describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/node/demo/demo-facts';
import { demoBundleEvents, findingsOf, packRules } from './helpers';

/**
 * The whole pack over the demo bundle's attack day: every phase of the generated attack raises
 * its finding, and the day's background (admins, monitoring, internet noise on the firewall,
 * cron, MAAS at work) raises nothing else.
 */
describe('built-in pack over the demo bundle', async () => {
  const events = await demoBundleEvents();
  const findings = findingsOf(packRules(), events);
  const s = DEMO_FACTS.scenario;
  const summary = findings.map((f) => `${f.level} | ${f.title} | ${f.entities['source.ip'] ?? f.entities['source.subnet'] ?? ''} | ${f.count}`).sort();

  it('raises exactly the attack findings', () => {
    const scanner = s.portScan.sourceIp;
    const brute = s.sshBruteForce.sourceIp;
    expect(summary).toEqual([
      `high | Port scan from one source (many blocked destination ports) | ${scanner} | ${s.portScan.distinctPorts}`,
      `high | Repeated blocked outgoing traffic from an internal address | ${s.outbound.sourceIp} | ${s.outbound.count}`,
      `high | Repeated failed MAAS UI logins from one client | ${scanner} | ${s.maasLogin.failures}`,
      `high | Repeated failed web logins from one client | ${scanner} | 18`,
      // 40 "Failed password" lines and 26 "Invalid user" lines before them (fail2ban counts both too).
      `high | SQL injection attempt in a request (decoded URL) | ${scanner} | 26`,
      `high | SSH brute force (repeated failed logins from one address) | ${brute} | 66`,
      `high | SSH brute force (repeated failed logins from one address) | ${scanner} | 7`,
      `high | Web shell access attempt | ${scanner} | 6`,
      `medium | Burst of requests for non-existent pages from one client | ${scanner} | ${s.webEnumeration.notFound}`,
      `medium | MAAS API token created through the web API | ${scanner} | 2`,
      `medium | Outgoing FIN/ACK blocked without an active connection | ${s.outbound.sourceIp} | ${s.outbound.count}`,
      `medium | Path enumeration (many distinct missing pages) from one client | ${scanner} | ${s.webEnumeration.notFound}`,
      `medium | Probe of a port used by known hacker tools | ${scanner} | ${DEMO_FACTS.hackerToolPorts.length + 1}`,
      `medium | Rapid-fire web requests from one client | ${scanner} | ${s.webEnumeration.requests}`,
      `medium | Repeated blocked connection attempts from one address | ${scanner} | ${s.portScan.distinctPorts}`,
      `medium | Repeated blocked connection attempts from one subnet | 203.0.113.0/24 | 153`,
      `medium | Repeated failed logins from one subnet | 198.51.100.0/24 | 66`,
      `medium | Repeated web server authentication failures from one client (error log) | ${scanner} | 18`,
      `medium | SSH user name guessing (many invalid users from one address) | ${brute} | 26`,
      `medium | SSH user name guessing (many invalid users from one address) | ${scanner} | 3`,
      `medium | Slow port scan from one source (many blocked ports over a day) | ${scanner} | ${s.portScan.distinctPorts}`,
    ].sort());
  });

  it('spans, hosts and authors of the port scan and the brute force', () => {
    const scan = findings.find((f) => f.title.startsWith('Port scan'))!;
    // syslog stamps have whole seconds; the scenario's are rounded to the nearest second.
    expect(Math.abs(scan.first - Date.parse(s.portScan.firstIso))).toBeLessThanOrEqual(1000);
    expect(Math.abs(scan.last - Date.parse(s.portScan.lastIso))).toBeLessThanOrEqual(1000);
    expect(scan.value).toBe(s.portScan.distinctPorts);
    expect(scan.hosts).toEqual([DEMO_FACTS.host]);
    expect(scan.entities).toEqual({ 'source.ip': s.portScan.sourceIp, 'source.subnet': '203.0.113.0/24' });
    expect(scan.authors).toEqual(['Thomas Patzke (SigmaHQ, original rule); Loupe project (correlation form and thresholds)', 'Loupe project']);
    const brute = findings.find((f) => f.title.startsWith('SSH brute force') && f.entities['source.ip'] === s.sshBruteForce.sourceIp)!;
    expect(brute.first).toBeGreaterThanOrEqual(Date.parse(s.sshBruteForce.firstIso) - 1000);
    expect(Math.abs(brute.last - Date.parse(s.sshBruteForce.lastIso))).toBeLessThanOrEqual(1000);
    const byId = new Map(events.map((e) => [e.id, e]));
    const lines = brute.eventIds.map((id) => byId.get(id)!.raw);
    expect(lines.filter((l) => l.includes('Failed password')).length).toBe(s.sshBruteForce.failures);
    expect(lines.every((l) => l.includes(s.sshBruteForce.sourceIp))).toBe(true);
  });

  it('the hacker-tool finding names the demo tool ports', () => {
    const probe = findings.find((f) => f.title.startsWith('Probe of a port'))!;
    const byId = new Map(events.map((e) => [e.id, e]));
    const ports = new Set(probe.eventIds.map((id) => byId.get(id)!.fields['destination.port']));
    expect([...ports].sort()).toEqual([...DEMO_FACTS.hackerToolPorts, 6666].sort());
  });
});
