// Frozen copy of src/core/formats/sshd-sessions.ts as of 682e9e6, before its fast paths: the oracle of auth-fast-paths.test.ts.
import type { ParsedFields } from '../../../../../src/core/model/event';
import { isSshd } from './sshd';

/**
 * What one sshd process (one connection: its pid) said before: the peer of its `Connection from`
 * line and whether authentication already failed or a key was declined. Lines that name no peer
 * (`Disconnecting: Too many authentication failures`) take the session's; when the session's
 * peer is not known yet, the pre-auth disconnect that follows such a failure names it and is
 * reported as the failure from that peer (as fail2ban reads it).
 */
interface Session {
  ip?: string;
  address?: string;
  port?: number;
  /** A failure was logged without a peer (`Too many authentication failures`, `account is locked`). */
  unattributedFailure: boolean;
  /** `maximum authentication attempts exceeded` was logged: the `Too many authentication failures` disconnect after it is the same fact. */
  maxAttemptsLogged: boolean;
}

const MAX_SESSIONS = 4096;

export class SshdSessions {
  private readonly sessions = new Map<number | string, Session>();
  /** A number per host name, so that a session is keyed by a number (host, pid), not a built string. */
  private readonly hostIds = new Map<string, number>();
  /**
   * Keys in the order they were added, as a ring: the oldest is forgotten first. (Asking the Map
   * for its first key instead walks past every deleted entry and cost microseconds a line.)
   */
  private readonly order: (number | string)[] = new Array<number | string>(MAX_SESSIONS);
  private oldest = 0;

  /** Updates `fields` (an sshd event's) in place from and into the session of its host and pid. */
  apply(fields: ParsedFields): void {
    const program = fields['process.name'];
    const pid = fields['process.pid'];
    if (typeof program !== 'string' || !isSshd(program) || typeof pid !== 'number') return;
    const key = this.keyOf(String(fields['host.name'] ?? ''), pid);
    let session = this.sessions.get(key);
    if (session === undefined) {
      const size = this.sessions.size;
      if (size >= MAX_SESSIONS) {
        this.sessions.delete(this.order[this.oldest]!);
        this.order[this.oldest] = key;
        this.oldest = (this.oldest + 1) % MAX_SESSIONS;
      } else {
        this.order[(this.oldest + size) % MAX_SESSIONS] = key;
      }
      session = { unattributedFailure: false, maxAttemptsLogged: false };
      this.sessions.set(key, session);
    }
    const ip = fields['source.ip'];
    const address = fields['source.address'];
    if (typeof ip === 'string' || typeof address === 'string') {
      if (typeof ip === 'string') session.ip = ip;
      if (typeof address === 'string') session.address = address;
      if (typeof fields['source.port'] === 'number') session.port = fields['source.port'];
    } else if (fields['event.category'] !== undefined && (session.ip !== undefined || session.address !== undefined)) {
      if (session.ip !== undefined) fields['source.ip'] = session.ip;
      if (session.address !== undefined) fields['source.address'] = session.address;
      if (session.port !== undefined) fields['source.port'] = session.port;
      fields['sshd.peer_from_session'] = true;
    }
    if (fields['event.action'] === 'ssh-max-attempts') {
      if (session.maxAttemptsLogged) {
        fields['event.action'] = 'ssh-disconnect';
        fields['event.category'] = ['network'];
        fields['event.outcome'] = 'unknown';
        fields['event.reason'] = 'too many authentication failures (already logged)';
      } else if (fields['sshd.max_attempts_exceeded'] === true) {
        session.maxAttemptsLogged = true;
      }
    }
    const action = fields['event.action'];
    const failure = fields['event.outcome'] === 'failure' && (fields['event.category'] as readonly string[] | undefined)?.includes('authentication') === true;
    const hasPeer = fields['source.ip'] !== undefined || fields['source.address'] !== undefined;
    if (fields['sshd.preauth'] === true && action === 'ssh-disconnect' && session.unattributedFailure && !failure && hasPeer) {
      fields['event.category'] = ['authentication'];
      fields['event.outcome'] = 'failure';
      fields['event.reason'] = fields['event.reason'] ?? 'disconnected before authentication after failed attempts';
      session.unattributedFailure = false;
      return;
    }
    if (failure && !hasPeer) session.unattributedFailure = true;
    if (action === 'ssh-login' && fields['event.outcome'] === 'success') session.unattributedFailure = false;
  }

  private keyOf(host: string, pid: number): number | string {
    let hostId = this.hostIds.get(host);
    if (hostId === undefined) {
      hostId = this.hostIds.size;
      this.hostIds.set(host, hostId);
    }
    // A pid is below 2^22 on Linux; a hostile line may write any number: those keep a text key.
    if (Number.isInteger(pid) && pid >= 0 && pid < 4294967296 && hostId < 1 << 20) return hostId * 4294967296 + pid;
    return `${host}\u0000${pid}`;
  }
}
