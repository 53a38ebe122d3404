/**
 * The description texts of MAAS AUDIT events (MAAS >= 2.5, plus the <= 2.4 forms), as data: each
 * template gives `event.action`, the ECS category, and the fields its captures fill. Source:
 * log-formats.md section 7 (src/maasserver/... at de2288e0) and the seed's audit table, whose
 * unquoted renderings (`Deleted script script.name.`) are accepted too: quotes are optional where
 * the seed leaves them out. `$1`, `$2` in an action stand for the lower-cased capture.
 * Actions are `<entity>-<past participle>` throughout; a node action names what the user asked for
 * (`Started deploying 'h'.` is `node-deployed`), not its completion, which maas.log's status
 * transitions record. The texts live only in the database (maasserver/audit.py create_audit_event
 * -> Event.objects.register_event_and_event_type; no logger writes them), so regiond.log lines are
 * not matched against this table.
 */

export interface AuditTemplate {
  readonly pattern: RegExp;
  readonly action: string;
  readonly category: readonly string[];
  /** Field name for each capture group, in order; `undefined` skips a group. */
  readonly captures?: readonly (string | undefined)[];
  readonly outcome?: 'success' | 'failure';
}

const AUTHENTICATION = ['authentication'];
const IAM = ['iam'];
const CONFIGURATION = ['configuration'];
const HOST = ['host'];

/** A name in quotes, or (seed renderings) without them. */
const Q = "'?(.+?)'?";

function t(source: string, action: string, category: readonly string[], captures?: readonly (string | undefined)[], outcome?: 'success'): AuditTemplate {
  return { pattern: new RegExp(`^${source}$`), action, category, ...(captures !== undefined ? { captures } : {}), ...(outcome !== undefined ? { outcome } : {}) };
}

export const AUDIT_TEMPLATES: readonly AuditTemplate[] = [
  // AUTHORISATION: sessions.
  t('Logged in (user|admin)\\.', 'user-logged-in', AUTHENTICATION, ['maas.audit.role'], 'success'),
  t('Logged out (user|admin)\\.', 'user-logged-out', AUTHENTICATION, ['maas.audit.role'], 'success'),
  t("User '(.+)' logged in\\.", 'user-logged-in', AUTHENTICATION, ['maas.audit.user'], 'success'),
  t("User '(.+)' logged out\\.", 'user-logged-out', AUTHENTICATION, ['maas.audit.user'], 'success'),
  // AUTHORISATION: tokens.
  t('Created token\\.', 'token-created', IAM),
  t("Created token for '(.+)'\\.", 'token-created', IAM, ['maas.audit.user']),
  t('Deleted token\\.', 'token-deleted', IAM),
  t("Deleted token for '(.+)'\\.", 'token-deleted', IAM, ['maas.audit.user']),
  t('Modified consumer name of token\\.', 'token-updated', IAM),
  t('Created API \\(OAuth\\) token\\.', 'token-created', IAM),
  t('Retrieved API \\(OAuth\\) token\\.', 'token-retrieved', IAM),
  // AUTHORISATION: users.
  t(`Created (user|admin) ${Q}\\.`, 'user-created', IAM, ['maas.audit.role', 'maas.audit.user']),
  t(`Deleted (user|admin) ${Q}\\.`, 'user-deleted', IAM, ['maas.audit.role', 'maas.audit.user']),
  t('Updated user profile \\(username: (.*), full name: (.*), email: (.*), administrator: (True|False)\\)', 'user-updated', IAM, [
    'maas.audit.user',
    'maas.audit.full_name',
    'maas.audit.email',
    'maas.audit.admin',
  ]),
  // AUTHORISATION: SSH and SSL keys.
  t('Imported SSH keys\\.', 'ssh-keys-imported', IAM),
  t('Imported SSH keys for (.+)\\.', 'ssh-keys-imported', IAM, ['maas.audit.user']),
  t(`Deleted SSH key id=${Q}\\.`, 'ssh-key-deleted', IAM, ['maas.audit.key_id']),
  t('Deleted SSH key\\.', 'ssh-key-deleted', IAM),
  t('Created SSH key\\.', 'ssh-key-created', IAM),
  t('Created SSH key for (.+)\\.', 'ssh-key-created', IAM, ['maas.audit.user']),
  t('Created SSL key\\.', 'ssl-key-created', IAM),
  t(`Deleted SSL key id=${Q}\\.`, 'ssl-key-deleted', IAM, ['maas.audit.key_id']),
  t('Deleted SSL key\\.', 'ssl-key-deleted', IAM),
  // NODE: storage (API, system_id set).
  t('(Created|Deleted|Updated) bcache cache set\\.', 'bcache-cache-set-$1', HOST, [undefined]),
  t('(Created|Deleted|Updated) bcache\\.', 'bcache-$1', HOST, [undefined]),
  // NODE: actions (node_action.py); the action names are MAAS's own.
  t("Deleted the '(.+?)' '(.+)'\\.", 'node-deleted', HOST, ['maas.audit.node_type', 'maas.audit.hostname']),
  t("Set the zone to '(.+?)' on '(.+)'\\.", 'node-zone-set', HOST, ['maas.audit.zone', 'maas.audit.hostname']),
  t("Set the resource pool to '(.+?)' on '(.+)'\\.", 'node-pool-set', HOST, ['maas.audit.pool', 'maas.audit.hostname']),
  t("Started commissioning on '(.+)'\\.", 'node-commissioned', HOST, ['maas.audit.hostname']),
  t("Started testing on '(.+)'\\.", 'node-tested', HOST, ['maas.audit.hostname']),
  t("Aborted '(.+?)' on '(.+)'\\.", 'node-aborted', HOST, ['maas.audit.status', 'maas.audit.hostname']),
  t("Acquired '(.+)'\\.", 'node-acquired', HOST, ['maas.audit.hostname']),
  t("Started deploying '(.+)'\\.", 'node-deployed', HOST, ['maas.audit.hostname']),
  t("Powered on '(.+)'\\.", 'node-powered-on', HOST, ['maas.audit.hostname']),
  t("Powered off '(.+)'\\.", 'node-powered-off', HOST, ['maas.audit.hostname']),
  t("Started releasing '(.+)'\\.", 'node-released', HOST, ['maas.audit.hostname']),
  t("Marked '(.+)' broken\\.", 'node-marked-broken', HOST, ['maas.audit.hostname']),
  t("Marked '(.+)' fixed\\.", 'node-marked-fixed', HOST, ['maas.audit.hostname']),
  t("Locked '(.+)'\\.", 'node-locked', HOST, ['maas.audit.hostname']),
  t("Unlocked '(.+)'\\.", 'node-unlocked', HOST, ['maas.audit.hostname']),
  t("Overrode failed testing on '(.+)'\\.", 'node-failed-testing-overridden', HOST, ['maas.audit.hostname']),
  t("Started rescue mode on '(.+)'\\.", 'node-rescue-mode-entered', HOST, ['maas.audit.hostname']),
  t("Exited rescue mode on '(.+)'\\.", 'node-rescue-mode-exited', HOST, ['maas.audit.hostname']),
  t("Tagging '(.+)'\\.", 'node-tagged', HOST, ['maas.audit.hostname']),
  // SETTINGS.
  t("Updated configuration setting '(.+?)' to '(.*)'\\.", 'config-setting-updated', CONFIGURATION, ['maas.config.name', 'maas.config.value']),
  t('Updated configuration setting (\\S+?)\\.', 'config-setting-updated', CONFIGURATION, ['maas.config.name']),
  t('Updated TLS configuration settings\\.?', 'tls-config-updated', CONFIGURATION),
  t(`Saved script ${Q}\\.`, 'script-saved', CONFIGURATION, ['maas.audit.script']),
  t(`Deleted script ${Q}\\.`, 'script-deleted', CONFIGURATION, ['maas.audit.script']),
  t(`Reverted script ${Q} to revision ${Q}\\.`, 'script-reverted', CONFIGURATION, ['maas.audit.script', 'maas.audit.revision']),
  t(`Added tag ${Q} to script ${Q}\\.`, 'script-tag-added', CONFIGURATION, ['maas.audit.tag', 'maas.audit.script']),
  t(`Removed tag ${Q} from script ${Q}\\.`, 'script-tag-removed', CONFIGURATION, ['maas.audit.tag', 'maas.audit.script']),
  t(`Reverted DHCP snippet ${Q} to revision ${Q}\\.`, 'dhcp-snippet-reverted', CONFIGURATION, ['maas.audit.dhcp_snippet', 'maas.audit.revision']),
  t(`(Created|Updated|Deleted) DHCP snippet ${Q}\\.`, 'dhcp-snippet-$1', CONFIGURATION, [undefined, 'maas.audit.dhcp_snippet']),
  t(`(Created|Updated|Deleted) package repository ${Q}\\.`, 'package-repository-$1', CONFIGURATION, [undefined, 'maas.audit.package_repository']),
  // TAG.
  t(`Tag ${Q} renamed to ${Q}\\.`, 'tag-renamed', CONFIGURATION, ['maas.audit.tag', 'maas.audit.tag_new']),
  t(`Tag ${Q} (created|deleted|updated)\\.`, 'tag-$2', CONFIGURATION, ['maas.audit.tag', undefined]),
];

/**
 * `event.category` of an AUDIT event no template matches, by its `type` (the EventType's
 * description; provisioningserver/events.py AUDIT types).
 */
export const AUDIT_TYPE_CATEGORIES: ReadonlyMap<string, readonly string[]> = new Map([
  ['Authorisation', IAM],
  ['Settings', CONFIGURATION],
  ['Tag', CONFIGURATION],
  ['Images', CONFIGURATION],
  ['Networking', CONFIGURATION],
  ['Zones', CONFIGURATION],
  ['Node', HOST],
  ['Pod', HOST],
]);

export interface AuditMatch {
  readonly action: string;
  readonly category: readonly string[];
  readonly outcome?: 'success' | 'failure';
  readonly fields: Readonly<Record<string, string>>;
}

/** The first template the description matches, with its captures as fields. */
export function matchAuditDescription(description: string): AuditMatch | undefined {
  for (const template of AUDIT_TEMPLATES) {
    const m = template.pattern.exec(description);
    if (m === null) continue;
    const fields: Record<string, string> = {};
    template.captures?.forEach((name, i) => {
      const value = m[i + 1];
      if (name !== undefined && value !== undefined) fields[name] = value;
    });
    const action = template.action.replace(/\$(\d)/g, (_, n: string) => (m[Number(n)] ?? '').toLowerCase());
    return { action, category: template.category, ...(template.outcome !== undefined ? { outcome: template.outcome } : {}), fields };
  }
  return undefined;
}
