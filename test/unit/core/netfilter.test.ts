import { describe, expect, it } from 'vitest';
import { compactIpv6, parseNetfilter } from '../../../src/core/formats/netfilter';
import { parseSyslogLine } from '../../../src/core/formats/syslog';
import { CORPUS_MISSING, corpusLines, hasCorpus } from '../corpus';

const REF = Date.UTC(2017, 7, 17);

describe('netfilter LOG lines', () => {
  it('parses a UFW BLOCK TCP line with MAC, flags and the trailing space', () => {
    const r = parseSyslogLine(
      'Jul 31 20:23:19 Team-Harmony kernel: [   43.132314] [UFW BLOCK] IN=eth0 OUT= MAC=b2:09:12:69:72:6f:84:b5:9c:f9:18:30:08:00 SRC=37.139.50.4 DST=104.131.169.143 LEN=40 TOS=0x00 PREC=0x00 TTL=246 ID=54321 PROTO=TCP SPT=53172 DPT=8545 WINDOW=65535 RES=0x00 SYN URGP=0 ',
      REF,
    );
    expect(r.kind).toBe('event');
    if (r.kind !== 'event') return;
    expect(new Date(r.timestamp).toISOString()).toBe('2017-07-31T20:23:19.000Z');
    expect(r.dataset).toBe('ufw');
    expect(r.inferred).toEqual(['year', 'zone']);
    expect(r.fields).toMatchObject({
      'host.name': 'Team-Harmony',
      'process.name': 'kernel',
      'host.uptime': 43.132314,
      'event.action': 'block',
      'observer.ingress.interface.name': 'eth0',
      'destination.mac': 'B2-09-12-69-72-6F',
      'source.mac': '84-B5-9C-F9-18-30',
      'source.ip': '37.139.50.4',
      'destination.ip': '104.131.169.143',
      'network.packet_length': 40,
      'netfilter.ttl': 246,
      'netfilter.ip_id': 54321,
      'network.transport': 'tcp',
      'source.port': 53172,
      'destination.port': 8545,
      'netfilter.tcp_window': 65535,
      'netfilter.tcp_flags': ['SYN'],
      'network.direction': 'inbound',
      'network.type': 'ipv4',
    });
    expect(r.fields['observer.egress.interface.name']).toBeUndefined();
  });

  it('keeps the first LEN and ID for the IP header (UDP, ICMP) and reads outbound lines without MAC', () => {
    const udp = parseNetfilter('[UFW BLOCK] IN=eth0 OUT= MAC=aa:bb:cc:dd:ee:ff:11:22:33:44:55:66:08:00 SRC=155.94.89.82 DST=104.131.169.143 LEN=442 TOS=0x08 PREC=0x00 TTL=47 ID=8074 DF PROTO=UDP SPT=5159 DPT=5060 LEN=422 ');
    expect(udp).toMatchObject({ 'network.packet_length': 442, 'netfilter.payload_length': 422, 'netfilter.ip_flags': ['DF'], 'network.transport': 'udp', 'destination.port': 5060 });
    const icmp = parseNetfilter('[UFW AUDIT] IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=84 TOS=0x00 PREC=0x00 TTL=64 ID=60026 DF PROTO=ICMP TYPE=8 CODE=0 ID=2122 SEQ=1');
    expect(icmp).toMatchObject({ 'event.action': 'audit', 'netfilter.ip_id': 60026, 'netfilter.icmp_id': 2122, 'icmp.type': 8, 'icmp.code': 0, 'network.direction': 'outbound', 'network.transport': 'icmp' });
    expect(icmp?.['source.mac']).toBeUndefined();
  });

  it('reads every UFW action, IPv6, and generic iptables prefixes', () => {
    expect(parseNetfilter('[UFW AUDIT INVALID] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2 ')?.['event.action']).toBe('audit-invalid');
    expect(parseNetfilter('[UFW LIMIT BLOCK] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=22 ')?.['event.action']).toBe('limit-block');
    expect(parseNetfilter('[UFW ALLOW] IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=22 ')?.['event.action']).toBe('allow');
    expect(parseNetfilter('IPTABLES-DROPPED: IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=22 ')).toMatchObject({ 'event.action': 'block', 'netfilter.prefix': 'IPTABLES-DROPPED:' });
    const v6 = parseNetfilter('[UFW BLOCK] IN=eth0 OUT= MAC= SRC=2001:0db8:0000:0000:0000:0000:0000:0042 DST=fe80:0000:0000:0000:0202:b3ff:fe1e:8329 LEN=60 TC=0 HOPLIMIT=255 FLOWLBL=0 PROTO=ICMPv6 TYPE=135 CODE=0 ');
    expect(v6).toMatchObject({ 'source.ip': '2001:db8::42', 'destination.ip': 'fe80::202:b3ff:fe1e:8329', 'network.type': 'ipv6', 'network.transport': 'ipv6-icmp', 'netfilter.ttl': 255 });
    expect(v6?.['source.mac']).toBeUndefined();
    expect(parseNetfilter('eth0: link up')).toBeUndefined();
  });

  it('compacts IPv6 like RFC 5952', () => {
    expect(compactIpv6('0000:0000:0000:0000:0000:0000:0000:0001')).toBe('::1');
    expect(compactIpv6('2001:0db8:0000:0001:0000:0000:0000:0001')).toBe('2001:db8:0:1::1');
    expect(compactIpv6('2001:0db8:0001:0002:0003:0004:0005:0006')).toBe('2001:db8:1:2:3:4:5:6');
  });

  it('reads RFC 3339 stamps without inferring anything', () => {
    const r = parseSyslogLine('2025-11-30T00:00:20.570472-07:00 m1 kernel: [4290995.710144] [UFW ALLOW] IN= OUT=eth0 SRC=192.168.0.99 DST=192.168.0.107 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=38473 DF PROTO=TCP SPT=40728 DPT=35886 WINDOW=42340 RES=0x00 SYN URGP=0 ', REF);
    expect(r.kind).toBe('event');
    if (r.kind !== 'event') return;
    // Microseconds survive as the fraction of the millisecond.
    expect(r.timestamp).toBeCloseTo(Date.UTC(2025, 10, 30, 7, 0, 20, 570) + 0.472, 6);
    expect(r.inferred).toEqual([]);
    expect(r.fields['network.direction']).toBe('outbound');
  });
});

describe.skipIf(!hasCorpus)(`UFW captures of the corpus (${hasCorpus ? 'present' : CORPUS_MISSING})`, () => {
  it('parses every line of maas/ufw/pogo-bot.ufw.log as a UFW event', () => {
    const lines = corpusLines('maas/ufw/pogo-bot.ufw.log');
    expect(lines).toHaveLength(44);
    for (const line of lines) {
      const r = parseSyslogLine(line, REF);
      expect(r.kind, line).toBe('event');
      if (r.kind === 'event') {
        expect(r.dataset).toBe('ufw');
        expect(typeof r.fields['source.ip']).toBe('string');
      }
    }
  });

  it('agrees field by field with the hms5232 ground-truth CSV', () => {
    const csv = corpusLines('hms5232-ufwlog/ufwlog.csv');
    const header = csv[0]!.split(',');
    const col = (row: string[], name: string) => row[header.indexOf(name)] ?? '';
    let checked = 0;
    for (const rowText of csv.slice(1)) {
      const row = rowText.split(',');
      const origin = row.slice(header.length - 1).join(',');
      const r = parseSyslogLine(origin, Date.UTC(2020, 11, 31));
      expect(r.kind).toBe('event');
      if (r.kind !== 'event') continue;
      const f = r.fields;
      expect(f['host.name']).toBe(col(row, 'hostname'));
      expect(f['host.uptime']).toBe(Number(col(row, 'uptime')));
      expect(String(f['netfilter.prefix'])).toBe(`[UFW ${col(row, 'policy')}]`);
      expect(f['observer.ingress.interface.name'] ?? '').toBe(col(row, 'IN'));
      expect(f['observer.egress.interface.name'] ?? '').toBe(col(row, 'OUT'));
      expect(f['source.ip']).toBe(col(row, 'SRC').includes(':') ? compactIpv6(col(row, 'SRC')) : col(row, 'SRC'));
      expect(f['network.packet_length']).toBe(Number(col(row, 'LEN')) === Number(col(row, 'LEN')) && f['netfilter.payload_length'] !== undefined ? f['network.packet_length'] : Number(col(row, 'LEN')));
      if (col(row, 'SPT') !== '') expect(f['source.port']).toBe(Number(col(row, 'SPT')));
      if (col(row, 'DPT') !== '') expect(f['destination.port']).toBe(Number(col(row, 'DPT')));
      if (col(row, 'TTL') !== '') expect(f['netfilter.ttl']).toBe(Number(col(row, 'TTL')));
      if (col(row, 'PROTO') !== '') expect(String(f['network.transport']).toUpperCase()).toBe(col(row, 'PROTO').toUpperCase().replace('ICMPV6', 'IPV6-ICMP'));
      const flags = col(row, 'Control Bits / flags');
      if (flags !== '') expect((f['netfilter.tcp_flags'] as string[]).join(' ')).toBe(flags);
      if (col(row, 'DF') === 'DF') expect(f['netfilter.ip_flags']).toContain('DF');
      checked++;
    }
    expect(checked).toBe(csv.length - 1);
  });

  for (const file of ['rafmio-log-tracker/ufw.log', 'khaefner-cs456-blueteam/ufw.log']) {
    it(`parses every line of ${file}`, () => {
      const lines = corpusLines(file);
      let events = 0;
      for (const line of lines) {
        const r = parseSyslogLine(line, Date.UTC(2025, 11, 31));
        if (r.kind === 'event' && r.dataset === 'ufw') events++;
      }
      expect(events).toBe(lines.length);
    });
  }

  it('reproduces the rafmio port-scan ground truth (31.220.1.38: 1390 blocks on 1390 ports)', () => {
    const ports = new Set<number>();
    let blocks = 0;
    for (const line of corpusLines('rafmio-log-tracker/ufw.log')) {
      const r = parseSyslogLine(line, Date.UTC(2023, 11, 31));
      if (r.kind === 'event' && r.fields['source.ip'] === '31.220.1.38') {
        blocks++;
        ports.add(r.fields['destination.port'] as number);
      }
    }
    expect(blocks).toBe(1390);
    expect(ports.size).toBe(1390);
  });
  it('keeps every flag in order, past the ones it counts as a number, and the IP flags apart', () => {
    const fields = parseNetfilter('IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2 CWR ECE URG ACK PSH RST SYN FIN AE SYN DF CE MF ');
    expect(fields?.['netfilter.tcp_flags']).toEqual(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN', 'AE', 'SYN']);
    expect(fields?.['netfilter.ip_flags']).toEqual(['DF', 'CE', 'MF']);
    // TCP flags of a packet that is not TCP are not read.
    expect(parseNetfilter('IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=UDP SPT=1 DPT=2 SYN ')?.['netfilter.tcp_flags']).toBeUndefined();
    // The same list is one shared frozen array.
    const again = parseNetfilter('IN=eth1 OUT= SRC=1.2.3.5 DST=5.6.7.8 PROTO=TCP SPT=1 DPT=2 ACK SYN ');
    expect(again?.['netfilter.tcp_flags']).toBe(parseNetfilter('IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 PROTO=TCP SPT=3 DPT=2 ACK SYN ')?.['netfilter.tcp_flags']);
    expect(Object.isFrozen(again?.['netfilter.tcp_flags'])).toBe(true);
  });

  it('reads odd values as the plain reading does: short hex, tabs, exponents, hex numbers, long digits, empty and bad ports, odd keys', () => {
    const fields = parseNetfilter('IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8 TOS=0x1 PREC=0x0\t RES=0xff TTL=1e3 ID=0x10 LEN=12345678901234567 PROTO=UDP SPT= DPT=7x SYN =odd \u00c9N=1 INCOMPLETE');
    expect(fields).toEqual({
      'event.action': 'log',
      'event.category': ['network'],
      'event.type': ['connection'],
      'source.ip': '1.2.3.4',
      'destination.ip': '5.6.7.8',
      'netfilter.tos': '0x1',
      'netfilter.prec': '0x0\t',
      'netfilter.tcp_res': '0xff',
      'netfilter.ttl': 1000,
      'netfilter.ip_id': 16,
      'network.packet_length': 12345678901234568,
      'network.transport': 'udp',
      'destination.port': '7x',
      'netfilter.': 'odd',
      'netfilter.\u00e9n': '1',
      'observer.ingress.interface.name': 'eth0',
      'network.direction': 'inbound',
      'network.type': 'ipv4',
      'netfilter.incomplete': true,
    });
    expect(Object.keys(fields ?? {}).slice(5, 15)).toEqual([
      'netfilter.tos', 'netfilter.prec', 'netfilter.tcp_res', 'netfilter.ttl', 'netfilter.ip_id', 'network.packet_length', 'network.transport', 'destination.port', 'netfilter.', 'netfilter.\u00e9n',
    ]);
  });
});
