import { describe, expect, it } from 'vitest';
import { corpusLines, hasCorpus } from '../corpus';
import { fileRules, findingsOf, ingestText } from './helpers';
import { MIN, T0, lines, ufwLine } from './lines';

const SCANNER = '203.0.113.66';
const HOST = '10.20.0.2';

async function ufw(text: string) {
  return ingestText('var/log/ufw.log', text);
}

/** `count` blocked probes from `src` to distinct ports starting at `firstPort`, `stepMs` apart. */
function probes(src: string, count: number, stepMs: number, firstPort = 1000, start = T0): string[] {
  return Array.from({ length: count }, (_, i) => ufwLine(start + i * stepMs, { src, dst: HOST, dpt: firstPort + i }));
}

describe('fw_port_scan', () => {
  const rules = fileRules('fw_port_scan.yml');
  it('fires on 15 distinct blocked ports from one source within 10 minutes', async () => {
    const found = findingsOf(rules, await ufw(lines(...probes(SCANNER, 15, 30_000))));
    expect(found.map((f) => [f.title, f.entities['source.ip'], f.value, f.count])).toEqual([['Port scan from one source (many blocked destination ports)', SCANNER, 15, 15]]);
  });
  it('stays quiet on 14 ports, on ports spread past the window, on repeats of one port, and on allowed packets', async () => {
    expect(findingsOf(rules, await ufw(lines(...probes(SCANNER, 14, 30_000))))).toEqual([]);
    expect(findingsOf(rules, await ufw(lines(...probes(SCANNER, 20, 11 * MIN))))).toEqual([]);
    const samePort = Array.from({ length: 40 }, (_, i) => ufwLine(T0 + i * 1000, { src: SCANNER, dst: HOST, dpt: 23 }));
    expect(findingsOf(rules, await ufw(lines(...samePort)))).toEqual([]);
    const allowed = Array.from({ length: 30 }, (_, i) => ufwLine(T0 + i * 1000, { action: 'ALLOW', src: SCANNER, dst: HOST, dpt: 2000 + i }));
    expect(findingsOf(rules, await ufw(lines(...allowed)))).toEqual([]);
  });
  it('counts two sources apart', async () => {
    const mixed = [...probes(SCANNER, 8, 10_000), ...probes('198.51.100.9', 8, 10_000, 3000)].sort();
    expect(findingsOf(rules, await ufw(lines(...mixed)))).toEqual([]);
  });
  it.skipIf(!hasCorpus)('stays quiet on the real UFW logs of the corpus (a few stray blocks)', async () => {
    for (const file of ['hms5232-ufwlog/ufw.log', 'maas/ufw/pogo-bot.ufw.log']) {
      expect(findingsOf(rules, await ufw(lines(...corpusLines(file)))), file).toEqual([]);
    }
  });
});

describe('fw_slow_port_scan', () => {
  const rules = fileRules('fw_slow_port_scan.yml');
  const slow = fileRules('fw_port_scan.yml');
  it('fires on 25 ports over 12 hours, which the fast port scan rule does not see', async () => {
    const events = await ufw(lines(...probes(SCANNER, 25, 30 * MIN, 1000, T0 - 8 * 60 * MIN)));
    expect(findingsOf(rules, events).map((f) => [f.entities['source.ip'], f.value])).toEqual([[SCANNER, 25]]);
    expect(findingsOf(slow, events)).toEqual([]);
  });
  it('stays quiet on 24 ports in a day', async () => {
    expect(findingsOf(rules, await ufw(lines(...probes(SCANNER, 24, 30 * MIN, 1000, T0 - 8 * 60 * MIN))))).toEqual([]);
  });
});

describe('fw_hacker_tool_port (assets/data/hacker-tool-ports.yml)', () => {
  const rules = fileRules('fw_hacker_tool_port.yml');
  it('fires on a blocked probe of 31337 and of 4444, from the seed line too', async () => {
    const found = findingsOf(rules, await ufw(lines(ufwLine(T0, { src: SCANNER, dst: HOST, dpt: 31337 }), ufwLine(T0 + 1000, { src: SCANNER, dst: HOST, dpt: 4444 }))));
    expect(found.map((f) => [f.entities['source.ip'], f.count])).toEqual([[SCANNER, 2]]);
    const seed = await ingestText('router.log', 'blocked incoming tcp connection request from 96.39.208.43:49343 to 64.242.119.18:31337\n');
    expect(findingsOf(rules, seed).map((f) => f.entities['source.ip'])).toEqual(['96.39.208.43']);
  });
  it('stays quiet on ordinary blocked ports, and on an allowed 31337', async () => {
    const events = await ufw(lines(ufwLine(T0, { src: SCANNER, dst: HOST, dpt: 23 }), ufwLine(T0, { src: SCANNER, dst: HOST, dpt: 3389 }), ufwLine(T0, { action: 'ALLOW', src: SCANNER, dst: HOST, dpt: 31337 })));
    expect(findingsOf(rules, events)).toEqual([]);
    const seed = await ingestText('router.log', 'blocked incoming tcp connection request from 96.39.208.43:8240 to 128.17.92.85:6002\n');
    expect(findingsOf(rules, seed)).toEqual([]);
  });
});

describe('fw_repeated_blocks_from_ip and _from_subnet', () => {
  const ip = fileRules('fw_repeated_blocks_from_ip.yml');
  const subnet = fileRules('fw_repeated_blocks_from_subnet.yml');
  const sameDpt = (src: string, n: number, step: number) => Array.from({ length: n }, (_, i) => ufwLine(T0 + i * step, { src, dst: HOST, dpt: 22 }));
  it('fires on 20 blocks from one address in 10 minutes', async () => {
    const found = findingsOf(ip, await ufw(lines(...sameDpt(SCANNER, 20, 20_000))));
    expect(found.map((f) => [f.entities['source.ip'], f.count])).toEqual([[SCANNER, 20]]);
  });
  it('fires on 40 blocks spread over ten addresses of one /24, which the per-address rule misses', async () => {
    const spread = Array.from({ length: 40 }, (_, i) => ufwLine(T0 + i * 10_000, { src: `192.0.2.${10 + (i % 10)}`, dst: HOST, dpt: 22 }));
    const events = await ufw(lines(...spread));
    expect(findingsOf(subnet, events).map((f) => [f.entities['source.subnet'], f.count])).toEqual([['192.0.2.0/24', 40]]);
    expect(findingsOf(ip, events)).toEqual([]);
  });
  it('groups IPv6 sources by /64', async () => {
    const v6 = Array.from({ length: 40 }, (_, i) => ufwLine(T0 + i * 5000, { src: `2001:0db8:0bad:0066:0000:0000:0000:${(i + 1).toString(16).padStart(4, '0')}`, dst: '2001:db8::2', dpt: 22 }));
    expect(findingsOf(subnet, await ufw(lines(...v6))).map((f) => f.entities['source.subnet'])).toEqual(['2001:db8:bad:66::/64']);
  });
  it('stays quiet below the thresholds and across subnets', async () => {
    expect(findingsOf(ip, await ufw(lines(...sameDpt(SCANNER, 19, 20_000))))).toEqual([]);
    const threeNets = Array.from({ length: 60 }, (_, i) => ufwLine(T0 + i * 5000, { src: `${['192.0.2', '198.51.100', '203.0.113'][i % 3]}.${i}`, dst: HOST, dpt: 22 }));
    expect(findingsOf(subnet, await ufw(lines(...threeNets)))).toEqual([]);
  });
});

describe('fw_blocked_outbound_from_internal and fw_fin_ack_without_connection', () => {
  const repeated = fileRules('fw_blocked_outbound_from_internal.yml');
  const finAck = fileRules('fw_fin_ack_without_connection.yml');
  const out = (n: number, dst: string, flags = 'ACK FIN') => Array.from({ length: n }, (_, i) => ufwLine(T0 + i * 4 * MIN, { src: HOST, dst, dpt: 443, outbound: true, flags }));
  it('fires on five blocked packets from an internal host to one outside address', async () => {
    const found = findingsOf(repeated, await ufw(lines(...out(5, '198.51.100.23', 'SYN'))));
    expect(found.map((f) => [f.entities['source.ip'], f.entities['destination.ip'], f.count])).toEqual([[HOST, '198.51.100.23', 5]]);
  });
  it('stays quiet on four, on traffic between internal hosts, and on blocked inbound packets', async () => {
    expect(findingsOf(repeated, await ufw(lines(...out(4, '198.51.100.23', 'SYN'))))).toEqual([]);
    expect(findingsOf(repeated, await ufw(lines(...out(10, '10.20.0.3', 'SYN'))))).toEqual([]);
    expect(findingsOf(repeated, await ufw(lines(...probes('198.51.100.23', 10, MIN))))).toEqual([]);
  });
  it('FIN/ACK: fires on the UFW form and on the seed router line', async () => {
    expect(findingsOf(finAck, await ufw(lines(...out(1, '198.51.100.23')))).map((f) => f.count)).toEqual([1]);
    const seed = await ingestText('router.log', 'blocked outgoing tcp packet from 192.168.23.100:5240 to 96.38.231.18:443 as FIN:ACK received, but there is no active connection\n');
    expect(findingsOf(finAck, seed).map((f) => f.entities['source.ip'])).toEqual(['192.168.23.100']);
    expect(findingsOf(repeated, seed)).toEqual([]);
  });
  it('FIN/ACK: stays quiet on an outgoing SYN, a FIN alone, and an inbound FIN/ACK', async () => {
    expect(findingsOf(finAck, await ufw(lines(...out(1, '198.51.100.23', 'SYN'), ...out(1, '198.51.100.24', 'FIN'))))).toEqual([]);
    expect(findingsOf(finAck, await ufw(lines(ufwLine(T0, { src: '198.51.100.23', dst: HOST, dpt: 443, flags: 'ACK FIN' }))))).toEqual([]);
  });
});
