import type { EventFields } from '../model/event';
import { AUTHENTICATION, NETWORK } from './auth-common';
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
/** The index of the small keys: twice the sessions, so that linear probes stay short. */
const TABLE_BITS = 13;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

function home(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - TABLE_BITS);
}

export class SshdSessions {
  /**
   * Sessions in the order they were added, as a ring of slots: when all are taken, the oldest is
   * forgotten first. (Asking a Map for its first key instead walks past every deleted entry.)
   */
  private readonly slotKeys: (number | string)[] = new Array<number | string>(MAX_SESSIONS).fill(0);
  private readonly slotSmall = new Uint8Array(MAX_SESSIONS);
  private readonly slotSessions: Session[] = [];
  private count = 0;
  private oldest = 0;
  /**
   * Small keys (one of the first 256 hosts, a pid below 2^22: every key of a real log) -> slot + 1,
   * 0 when empty, by linear probing in typed arrays: a Map's get, set and delete on every sshd
   * line cost more than the parsing of it.
   */
  private readonly tableKeys = new Int32Array(TABLE_MASK + 1);
  private readonly tableSlots = new Int32Array(TABLE_MASK + 1);
  /** Any other key (a number from a hostile pid, or text) -> slot. */
  private readonly others = new Map<number | string, number>();
  /** A number per host name, so that a session is keyed by a number (host, pid), not a built string. */
  private readonly hostIds = new Map<string, number>();
  private lastHost = '';
  private lastHostId = -1;
  /** Set by keyOf: whether its key is a small one. */
  private small = false;

  /** Updates `fields` (an sshd event's) in place from and into the session of its host and pid. */
  apply(fields: EventFields): void {
    const program = fields['process.name'];
    const pid = fields['process.pid'];
    if (typeof program !== 'string' || !isSshd(program) || typeof pid !== 'number') return;
    const key = this.keyOf(String(fields['host.name'] ?? ''), pid);
    const small = this.small;
    let slot = small ? this.find(key as number) : this.others.get(key) ?? -1;
    if (slot < 0) {
      if (this.count >= MAX_SESSIONS) {
        slot = this.oldest;
        if (this.slotSmall[slot] === 1) this.remove(this.slotKeys[slot] as number);
        else this.others.delete(this.slotKeys[slot]!);
        this.oldest = (this.oldest + 1) % MAX_SESSIONS;
      } else {
        slot = (this.oldest + this.count) % MAX_SESSIONS;
        this.count++;
      }
      this.slotKeys[slot] = key;
      this.slotSmall[slot] = small ? 1 : 0;
      this.slotSessions[slot] = { unattributedFailure: false, maxAttemptsLogged: false };
      if (small) this.insert(key as number, slot);
      else this.others.set(key, slot);
    }
    const session = this.slotSessions[slot]!;
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
        fields['event.category'] = NETWORK;
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
      fields['event.category'] = AUTHENTICATION;
      fields['event.outcome'] = 'failure';
      fields['event.reason'] = fields['event.reason'] ?? 'disconnected before authentication after failed attempts';
      session.unattributedFailure = false;
      return;
    }
    if (failure && !hasPeer) session.unattributedFailure = true;
    if (action === 'ssh-login' && fields['event.outcome'] === 'success') session.unattributedFailure = false;
  }

  private keyOf(host: string, pid: number): number | string {
    let hostId = host === this.lastHost ? this.lastHostId : this.hostIds.get(host);
    if (hostId === undefined) {
      hostId = this.hostIds.size;
      this.hostIds.set(host, hostId);
    }
    this.lastHost = host;
    this.lastHostId = hostId;
    // A pid is below 2^22 on Linux; a hostile line may write any number: those take the Map, with
    // a wider number or a text key.
    this.small = Number.isInteger(pid) && pid >= 0 && pid < 4194304 && hostId < 256;
    if (this.small) return hostId * 4194304 + pid;
    if (Number.isInteger(pid) && pid >= 0 && pid < 4294967296 && hostId < 1 << 20) return hostId * 4294967296 + pid;
    return `${host}\u0000${pid}`;
  }

  private find(key: number): number {
    for (let i = home(key); ; i = (i + 1) & TABLE_MASK) {
      const slot = this.tableSlots[i]!;
      if (slot === 0) return -1;
      if (this.tableKeys[i] === key) return slot - 1;
    }
  }

  private insert(key: number, slot: number): void {
    let i = home(key);
    while (this.tableSlots[i] !== 0) i = (i + 1) & TABLE_MASK;
    this.tableKeys[i] = key;
    this.tableSlots[i] = slot + 1;
  }

  /** Takes `key` out, shifting back the entries after it that would no longer be found (no tombstones). */
  private remove(key: number): void {
    let i = home(key);
    while (this.tableKeys[i] !== key || this.tableSlots[i] === 0) {
      if (this.tableSlots[i] === 0) return;
      i = (i + 1) & TABLE_MASK;
    }
    for (let j = (i + 1) & TABLE_MASK; this.tableSlots[j] !== 0; j = (j + 1) & TABLE_MASK) {
      const h = home(this.tableKeys[j]!);
      // The entry at j stays when its home lies cyclically in (i, j].
      if (i <= j ? i < h && h <= j : i < h || h <= j) continue;
      this.tableKeys[i] = this.tableKeys[j]!;
      this.tableSlots[i] = this.tableSlots[j]!;
      i = j;
    }
    this.tableSlots[i] = 0;
  }
}
