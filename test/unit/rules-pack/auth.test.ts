import { describe, expect, it } from 'vitest';
import { fileRules, findingsOf, ingestText } from './helpers';
import { MIN, T0, lines, sshdLine } from './lines';

const BRUTE = '198.51.100.77';
const auth = (text: string) => ingestText('var/log/auth.log', text);

const failed = (n: number, ip: string, stepMs = 30_000, start = T0) =>
  Array.from({ length: n }, (_, i) => sshdLine(start + i * stepMs, 4000 + i, `Failed password for root from ${ip} port ${40000 + i} ssh2`));
const invalid = (users: readonly string[], ip: string) =>
  users.map((u, i) => sshdLine(T0 + i * 20_000, 5000 + i, `Invalid user ${u} from ${ip} port ${41000 + i}`));

describe('lnx_ssh_failed_logins', () => {
  const rules = fileRules('lnx_ssh_failed_logins.yml');
  it('fires on five failed passwords from one address in ten minutes', async () => {
    expect(findingsOf(rules, await auth(lines(...failed(5, BRUTE)))).map((f) => [f.entities['source.ip'], f.count])).toEqual([[BRUTE, 5]]);
  });
  it('counts invalid users, too many attempts and dropbear failures, not the PAM line of the same attempt nor a rejected key', async () => {
    const text = lines(
      sshdLine(T0, 10, `Invalid user oracle from ${BRUTE} port 40001`),
      sshdLine(T0 + 1000, 10, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${BRUTE}`),
      sshdLine(T0 + 2000, 10, `Failed password for invalid user oracle from ${BRUTE} port 40001 ssh2`),
      sshdLine(T0 + 3000, 11, `error: maximum authentication attempts exceeded for root from ${BRUTE} port 40002 ssh2 [preauth]`),
      `Mar 12 09:00:04 gw dropbear[77]: Bad password attempt for 'root' from ${BRUTE}:40003`,
      // A rejected key is how ssh tries keys before a password: not a failure (fail2ban: publickey = nofail).
      sshdLine(T0 + 5000, 12, `Failed publickey for git from ${BRUTE} port 40004 ssh2: RSA SHA256:abc`),
      sshdLine(T0 + 6000, 13, `Failed password for root from ${BRUTE} port 40005 ssh2`),
    );
    expect(findingsOf(rules, await auth(text)).map((f) => f.count)).toEqual([5]);
  });
  it('stays quiet on four failures, failures spread past the window, and accepted logins', async () => {
    expect(findingsOf(rules, await auth(lines(...failed(4, BRUTE))))).toEqual([]);
    expect(findingsOf(rules, await auth(lines(...failed(12, BRUTE, 11 * MIN))))).toEqual([]);
    const ok = Array.from({ length: 10 }, (_, i) => sshdLine(T0 + i * 1000, 100 + i, `Accepted publickey for ubuntu from 10.20.0.5 port ${50000 + i} ssh2: ED25519 SHA256:k`));
    expect(findingsOf(rules, await auth(lines(...ok)))).toEqual([]);
  });
});

describe('lnx_ssh_invalid_users', () => {
  const rules = fileRules('lnx_ssh_invalid_users.yml');
  it('fires on three different invalid user names from one address', async () => {
    expect(findingsOf(rules, await auth(lines(...invalid(['oracle', 'test', 'git'], BRUTE)))).map((f) => [f.entities['source.ip'], f.value])).toEqual([[BRUTE, 3]]);
  });
  it('stays quiet on one name tried again and again', async () => {
    expect(findingsOf(rules, await auth(lines(...invalid(['oracle', 'oracle', 'oracle', 'oracle'], BRUTE))))).toEqual([]);
  });
});

describe('auth_failures_from_subnet', () => {
  const rules = fileRules('auth_failures_from_subnet.yml');
  it('fires on ten failures spread over five addresses of one /24, which the per-address rule misses', async () => {
    const spread = Array.from({ length: 10 }, (_, i) => sshdLine(T0 + i * 30_000, 600 + i, `Failed password for root from 198.51.100.${20 + (i % 5)} port ${42000 + i} ssh2`));
    const events = await auth(lines(...spread));
    expect(findingsOf(rules, events).map((f) => [f.entities['source.subnet'], f.count])).toEqual([['198.51.100.0/24', 10]]);
    expect(findingsOf(fileRules('lnx_ssh_failed_logins.yml'), events)).toEqual([]);
  });
  it('stays quiet on failures from different subnets', async () => {
    const apart = Array.from({ length: 12 }, (_, i) => sshdLine(T0 + i * 30_000, 700 + i, `Failed password for root from 198.51.${i}.20 port ${42000 + i} ssh2`));
    expect(findingsOf(rules, await auth(lines(...apart)))).toEqual([]);
  });
});

describe('lnx_pam_auth_failures', () => {
  const rules = fileRules('lnx_pam_auth_failures.yml');
  const pam = (service: string, n: number) =>
    Array.from({ length: n }, (_, i) => `Mar 12 09:0${i}:00 gw ${service}[${900 + i}]: pam_unix(${service}:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=root rhost=192.0.2.44`);
  it('fires on five PAM failures of vsftpd from one host', async () => {
    expect(findingsOf(rules, await auth(lines(...pam('vsftpd', 5)))).map((f) => [f.entities['source.ip'], f.count])).toEqual([['192.0.2.44', 5]]);
  });
  it('stays quiet on four, and on the PAM lines of sshd (the SSH rules count those attempts)', async () => {
    expect(findingsOf(rules, await auth(lines(...pam('vsftpd', 4))))).toEqual([]);
    expect(findingsOf(rules, await auth(lines(...pam('sshd', 8))))).toEqual([]);
  });
});
