import { describe, expect, it } from 'vitest';
import { parseMaasJournalMessage } from '../../../../src/core/formats/maas-journal';
import { syslogFormat } from '../../../../src/core/formats/syslog';

/**
 * Edge cases met while replacing regexes and lookups of the syslog-family parsers with char-code
 * reading: each value below is what the plain forms gave.
 */

describe('journal `name: [level] message` read by char codes', () => {
  const read = (message: string) => parseMaasJournalMessage('maas-regiond', message)?.fields;
  it('takes the name up to the first space, one level class, one optional space, the rest as it is', () => {
    expect(read('a:b: [debug] c: [info] d')).toEqual({ 'log.logger': 'a:b', 'log.level': 'debug', message: 'c: [info] d' });
    expect(read('x: [INFO]tail')).toEqual({ 'log.logger': 'x', 'log.level': 'INFO', message: 'tail' });
    expect(read('x: [info-extra]\n  second line')).toEqual({ 'log.logger': 'x', 'log.level': 'info-extra', message: '\n  second line' });
    expect(read('\u00e9t\u00e9: [info] y')).toEqual({ 'log.logger': '\u00e9t\u00e9', 'log.level': 'info', message: 'y' });
  });
  it('reads no name where the pattern fails: mixed-case level, white space in the name, an empty name', () => {
    expect(read('x: [Info] y')).toEqual({});
    expect(read('a\u00a0b: [info] y')).toEqual({});
    expect(read('a\tb: [info] y')).toEqual({});
    expect(read(': [info] y')).toEqual({});
  });
});

describe('sshd sessions past the table size', () => {
  it('forgets the oldest sessions, and a reused session carries nothing of the one before', () => {
    const parser = syslogFormat.createParser({ path: 'var/log/auth.log', referenceTime: Date.UTC(2026, 2, 13) });
    for (let pid = 1; pid <= 4097; pid++) parser.parseLine(`Mar 12 08:00:00 region sshd[${pid}]: Connection from 10.0.${pid >> 8}.${pid & 255} port 22 on 10.9.9.9 port 22`);
    const tooMany = (pid: number) => {
      const r = parser.parseLine(`Mar 12 08:00:01 region sshd[${pid}]: Disconnecting: Too many authentication failures [preauth]`);
      return r.kind === 'event' ? r.fields : undefined;
    };
    // pid 1 was forgotten when pid 4097 came; its new session takes the slot of pid 2.
    expect(tooMany(1)?.['source.ip']).toBeUndefined();
    expect(tooMany(4097)).toMatchObject({ 'source.ip': '10.0.16.1', 'source.port': 22, 'sshd.peer_from_session': true });
    expect(tooMany(2)?.['source.ip']).toBeUndefined();
    // The peerless failure of pid 1 makes its pre-auth disconnect the failure from that peer.
    const closed = parser.parseLine('Mar 12 08:00:02 region sshd[1]: Connection closed by 203.0.113.9 port 4242 [preauth]');
    expect(closed.kind === 'event' ? closed.fields : undefined).toEqual({
      'event.kind': 'event',
      'event.category': ['authentication'],
      'event.action': 'ssh-disconnect',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.9',
      'source.port': 4242,
      'sshd.preauth': true,
      'host.name': 'region',
      'process.name': 'sshd',
      'process.pid': 1,
      message: 'Connection closed by 203.0.113.9 port 4242 [preauth]',
      'event.reason': 'disconnected before authentication after failed attempts',
    });
  });
});
