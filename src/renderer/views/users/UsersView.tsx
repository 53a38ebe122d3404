import type { Remote } from 'comlink';
import { useEffect, useState } from 'react';
import type { UserActivity } from '../../../core/audit/user-activity';
import type { ReportApi } from '../../../workers/contract';
import { formatInZone, visibleText } from '../../app/format';

interface UsersViewProps {
  readonly caseId: string;
  readonly report: Remote<ReportApi>;
  readonly generation: number;
  readonly zone: string;
  /** Shows the audit event in the timeline (the app's openEvent). */
  readonly onOpenEvent: (id: number) => void;
}

/**
 * Who did what in MAAS: per user, a timeline of their audit actions (core/audit/user-activity,
 * the same accounting as the report's section). A row opens its event in the timeline.
 */
export function UsersView({ caseId, report, generation, zone, onOpenEvent }: UsersViewProps) {
  const [users, setUsers] = useState<UserActivity[]>();
  const [chosen, setChosen] = useState<string>();
  useEffect(() => {
    let live = true;
    void report.userActivity(caseId, generation).then((u) => { if (live) setUsers(u); });
    return () => { live = false; };
  }, [caseId, report, generation]);

  if (users === undefined) return <section className="users-view"><p className="muted">Reading the MAAS audit log…</p></section>;
  if (users.length === 0) return <section className="users-view" data-testid="users-view"><p className="muted">No MAAS audit events in this case (maas events query level=AUDIT).</p></section>;
  const user = users.find((u) => u.user === chosen) ?? users[0]!;
  const span = Math.max(1, user.last - user.first);
  return (
    <section className="users-view" aria-label="Users" data-testid="users-view">
      <ul className="user-list" role="listbox" aria-label="Users of the audit log">
        {users.map((u) => (
          <li key={u.user} role="option" aria-selected={u === user} className={u === user ? 'active' : ''} onClick={() => setChosen(u.user)} data-testid="user-item">
            <div className="user-name">{visibleText(u.user)}</div>
            <div className="muted small">{u.actions.length} action(s) · {u.nodes.length} node(s)</div>
          </li>
        ))}
      </ul>
      <div className="user-activity">
        <h2>{visibleText(user.user)}</h2>
        <p className="muted">
          {user.actions.length} action(s) from {formatInZone(user.first, zone)} to {formatInZone(user.last, zone)}
          {user.nodes.length > 0 && <> · nodes: {user.nodes.map(visibleText).join(', ')}</>}
        </p>
        <div className="user-strip" aria-hidden="true">
          {user.actions.map((a) => <span key={a.eventId} className="user-tick" style={{ left: `${((a.timestamp - user.first) / span) * 100}%` }} />)}
        </div>
        <div className="user-strip-axis muted small"><span>{formatInZone(user.first, zone)}</span><span>{formatInZone(user.last, zone)}</span></div>
        <p className="small">{user.byAction.map(([a, n]) => `${visibleText(a)} ${n}`).join(' · ')}</p>
        <table className="findings-table user-actions">
          <thead><tr><th>Time</th><th>Action</th><th>Node</th><th>Description</th></tr></thead>
          <tbody>
            {user.actions.map((a) => (
              <tr key={a.eventId} className="finding" tabIndex={0} onClick={() => onOpenEvent(a.eventId)} onKeyDown={(e) => { if (e.key === 'Enter') onOpenEvent(a.eventId); }} data-testid="user-action">
                <td className="nowrap">{formatInZone(a.timestamp, zone)}</td>
                <td><strong>{visibleText(a.action)}</strong>{a.outcome !== undefined && <span className="muted"> ({visibleText(a.outcome)})</span>}</td>
                <td>{visibleText(a.node) || '-'}</td>
                <td>{visibleText(a.description)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
