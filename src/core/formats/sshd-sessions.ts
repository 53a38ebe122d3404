import type { ParsedFields } from '../model/event';
import { AUTHENTICATION, NETWORK } from './auth-common';

/**
 * What one sshd process (one connection: its pid) said before: the peer of its `Connection from`
 * line and whether authentication already failed or a key was declined. Lines that name no peer
 * (`Disconnecting: Too many authentication failures`) take the session's; when the session's
 * peer is not known yet, the pre-auth disconnect that follows such a failure names it and is
 * reported as the failure from that peer (as fail2ban reads it).
 */
class Session {
  ip: string | undefined = undefined;
  address: string | undefined = undefined;
  port: number | undefined = undefined;
  /** A failure was logged without a peer (`Too many authentication failures`, `account is locked`). */
  unattributedFailure = false;
  /** `maximum authentication attempts exceeded` was logged: the `Too many authentication failures` disconnect after it is the same fact. */
  maxAttemptsLogged = false;

  /** Forgets everything: the session object of an evicted slot is reused for the next one (one allocation less per connection). */
  reset(): void {
    this.ip = undefined;
    this.address = undefined;
    this.port = undefined;
    this.unattributedFailure = false;
    this.maxAttemptsLogged = false;
  }
}

/**
 * The last event a parser gave an IPv4 peer of its own (tellPeer): its source.ip and source.port
 * (-1 for none). apply takes them from here instead of reading them back, each read of an event's
 * field being a megamorphic lookup (the events come in many shapes).
 */
let toldFields: ParsedFields | undefined;
let toldIp = '';
let toldPort = -1;

/**
 * Tells apply that `fields` has source.ip `ip`, no source.address, source.port `port` (absent for
 * -1) and an event.action other than `ssh-max-attempts`, as its parser made it.
 */
export function tellPeer(fields: ParsedFields, ip: string, port: number): void {
  toldFields = fields;
  toldIp = ip;
  toldPort = port;
}

const MAX_SESSIONS = 4096;
/** The index of the small keys: four times the sessions, so that linear probes stay short. */
const TABLE_BITS = 14;
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

  /**
   * Updates `fields` (an sshd event's, with its host.name `host` or none for '' and its
   * process.pid `pid`) in place from and into the session of its host and pid.
   * Each field is read once and only where the outcome depends on it: the events come in many
   * shapes, so every read is a megamorphic lookup.
   */
  apply(fields: ParsedFields, host: string, pid: number): void {
    const key = this.keyOf(host, pid);
    const small = this.small;
    let slot = small ? this.find(key as number) : this.others.get(key) ?? -1;
    let session: Session;
    if (slot < 0) {
      let reused: Session | undefined;
      if (this.count >= MAX_SESSIONS) {
        slot = this.oldest;
        if (this.slotSmall[slot] === 1) this.remove(this.slotKeys[slot] as number);
        else this.others.delete(this.slotKeys[slot]!);
        this.oldest = (this.oldest + 1) % MAX_SESSIONS;
        reused = this.slotSessions[slot];
      } else {
        slot = (this.oldest + this.count) % MAX_SESSIONS;
        this.count++;
      }
      this.slotKeys[slot] = key;
      this.slotSmall[slot] = small ? 1 : 0;
      if (reused === undefined) {
        session = new Session();
        this.slotSessions[slot] = session;
      } else {
        reused.reset();
        session = reused;
      }
      if (small) this.insert(key as number, slot);
      else this.others.set(key, slot);
    } else {
      session = this.slotSessions[slot]!;
    }
    // An event with its own peer in a session without an unattributed failure: nothing to do but
    // remember the peer (the code below does no more for it).
    if (fields === toldFields && !session.unattributedFailure) {
      session.ip = toldIp;
      if (toldPort >= 0) session.port = toldPort;
      return;
    }
    const ip = fields['source.ip'];
    const address = fields['source.address'];
    let hasPeer = ip !== undefined || address !== undefined;
    if (typeof ip === 'string' || typeof address === 'string') {
      if (typeof ip === 'string') session.ip = ip;
      if (typeof address === 'string') session.address = address;
      const port = fields['source.port'];
      if (typeof port === 'number') session.port = port;
    } else if ((session.ip !== undefined || session.address !== undefined) && fields['event.category'] !== undefined) {
      if (session.ip !== undefined) fields['source.ip'] = session.ip;
      if (session.address !== undefined) fields['source.address'] = session.address;
      if (session.port !== undefined) fields['source.port'] = session.port;
      fields['sshd.peer_from_session'] = true;
      hasPeer = true;
    }
    let action = fields['event.action'];
    if (action === 'ssh-max-attempts') {
      if (session.maxAttemptsLogged) {
        fields['event.action'] = 'ssh-disconnect';
        fields['event.category'] = NETWORK;
        fields['event.outcome'] = 'unknown';
        fields['event.reason'] = 'too many authentication failures (already logged)';
        action = 'ssh-disconnect';
      } else if (fields['sshd.max_attempts_exceeded'] === true) {
        session.maxAttemptsLogged = true;
      }
    }
    // Whether this is an authentication failure only matters for a session with an unattributed
    // failure before, or for an event without a peer.
    if (session.unattributedFailure || !hasPeer) {
      const failure = fields['event.outcome'] === 'failure' && (fields['event.category'] as readonly string[] | undefined)?.includes('authentication') === true;
      if (session.unattributedFailure && hasPeer && !failure && action === 'ssh-disconnect' && fields['sshd.preauth'] === true) {
        fields['event.category'] = AUTHENTICATION;
        fields['event.outcome'] = 'failure';
        fields['event.reason'] = fields['event.reason'] ?? 'disconnected before authentication after failed attempts';
        session.unattributedFailure = false;
        return;
      }
      if (failure && !hasPeer) session.unattributedFailure = true;
    }
    if (session.unattributedFailure && action === 'ssh-login' && fields['event.outcome'] === 'success') session.unattributedFailure = false;
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
