import { fieldAsString, type LoupeEvent } from '../model/event';

/**
 * User activity accounting from MAAS audit events (`maas.audit`, see formats/maas-audit.ts): per
 * user, what they did, when, and on which node. The Users view and the report's user activity
 * section both call `accountUserActivity`, so they always agree.
 */

export const AUDIT_DATASET = 'maas.audit';

/** Shown for audit events that carry no user (MAAS writes "unknown"; the parser drops it). */
export const UNKNOWN_USER = '(no user)';

/** One audited action of a user. Text comes from the logs: hostile, render as text only. */
export interface UserAction {
  readonly eventId: number;
  readonly timestamp: number;
  /** `event.action` (e.g. `node-deployed`), or the event type when no template matched. */
  readonly action: string;
  /** `maas.event.type`: Authorisation, Node, Settings, Tag... */
  readonly type: string;
  /** The node acted on: hostname when known, else system id; '' when the action is not on a node. */
  readonly node: string;
  /** The audit description as MAAS stored it. */
  readonly description: string;
  readonly outcome?: string;
}

export interface UserActivity {
  readonly user: string;
  readonly first: number;
  readonly last: number;
  /** Actions in time order. */
  readonly actions: readonly UserAction[];
  /** Count per action, most frequent first. */
  readonly byAction: readonly (readonly [action: string, count: number])[];
  /** Nodes acted on, by name. */
  readonly nodes: readonly string[];
}

function text(event: LoupeEvent, field: string): string | undefined {
  const value = fieldAsString(event.fields[field]);
  return value === undefined || value === '' ? undefined : value;
}

/** The action of one audit event, or undefined when the event is not a MAAS audit event. */
export function userActionOf(event: LoupeEvent): (UserAction & { readonly user: string }) | undefined {
  if (event.fields['event.dataset'] !== AUDIT_DATASET) return undefined;
  const type = text(event, 'maas.event.type') ?? '';
  const node = text(event, 'maas.node.hostname') ?? text(event, 'maas.audit.hostname') ?? text(event, 'maas.node.system_id') ?? '';
  const outcome = text(event, 'event.outcome');
  return {
    user: text(event, 'user.name') ?? UNKNOWN_USER,
    eventId: event.id,
    timestamp: event.timestamp,
    action: text(event, 'event.action') ?? (type !== '' ? type.toLowerCase() : 'audit'),
    type,
    node,
    description: text(event, 'message') ?? '',
    ...(outcome !== undefined ? { outcome } : {}),
  };
}

/** Groups the audit events among `events` (any order, any dataset) by user; users by first activity. */
export function accountUserActivity(events: Iterable<LoupeEvent>): UserActivity[] {
  const perUser = new Map<string, UserAction[]>();
  for (const event of events) {
    const action = userActionOf(event);
    if (action === undefined || !Number.isFinite(action.timestamp)) continue;
    const { user, ...rest } = action;
    let list = perUser.get(user);
    if (list === undefined) perUser.set(user, (list = []));
    list.push(rest);
  }
  const users: UserActivity[] = [];
  for (const [user, actions] of perUser) {
    actions.sort((a, b) => a.timestamp - b.timestamp || a.eventId - b.eventId);
    const counts = new Map<string, number>();
    const nodes = new Set<string>();
    for (const a of actions) {
      counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
      if (a.node !== '') nodes.add(a.node);
    }
    users.push({
      user,
      first: actions[0]!.timestamp,
      last: actions[actions.length - 1]!.timestamp,
      actions,
      byAction: [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
      nodes: [...nodes].sort(),
    });
  }
  return users.sort((a, b) => a.first - b.first || (a.user < b.user ? -1 : 1));
}
