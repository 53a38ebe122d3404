import { proxy } from 'comlink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  database,
  listRuleRecords,
  listRuleVersions,
  mergeRuleLibrary,
  revertRule,
  ruleHits,
  saveRule,
  setRuleEnabled,
  type LibraryRule,
  type RuleHits,
  type RuleRecord,
  type RuleVersionRecord,
} from '../../../store';
import type { RuleLabResult } from '../../../workers/rule-lab-contract';
import type { Host } from '../../host/host';
import { formatCount } from '../../app/format';
import { BUILTIN_RULES } from './builtin-rules';
import { RuleEditor, type EditorDiagnostic } from './RuleEditor';
import { RuleHistory } from './RuleHistory';
import { RuleTestPanel } from './RuleTestPanel';
import { ruleLab } from './rule-lab-worker';
import { ruleFileName, summarizeRuleFile, type RuleFileSummary } from './rule-file';
import type { ObservedFields } from './sigma-language';
import './rules.css';

/** A keystroke starts a test this long after the last one (the worker cancels the one running). */
const TEST_DEBOUNCE_MS = 120;
/** Imports of more files than this are saved without re-running each (run detection instead). */
const RERUN_IMPORT_LIMIT = 25;

const NEW_RULE = `title: New rule
id: {id}
status: experimental
description: What this detects and why it matters.
author: analyst
date: {date}
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|contains: '/etc/passwd'
  condition: selection
falsepositives:
  - Unknown
level: medium
`;

const today = () => new Date().toISOString().slice(0, 10);

/** Authors of the tested documents (DRL 1.1: shown with their matches). */
function authorsOf(result: RuleLabResult | undefined): string[] {
  return [...new Set((result?.documents ?? []).flatMap((d) => (d.author !== undefined ? [d.author] : [])))];
}

interface RulesViewProps {
  readonly host: Host;
  readonly caseId: string | undefined;
  /** Events in the case (0: nothing to test against). */
  readonly events: number;
  /** Changes when the case's events changed (ingest). */
  readonly generation: number;
  /** Events selected in the timeline, for "New rule from selection". */
  readonly selectedEventIds: readonly number[];
  readonly onOpenEvent: (eventId: number) => void;
  /** A re-run replaced some findings (the Findings view reads them again). */
  readonly onFindingsChanged: () => void;
}

/** What the editor holds: a rule of the library, or a new one not saved yet. */
interface Editing {
  readonly id: string | undefined;
  /** Increments on every load into the editor (a revert reloads the same rule). */
  readonly load: number;
  readonly initial: string;
}

const ORIGIN_LABEL: Readonly<Record<LibraryRule['origin'], string>> = {
  builtin: 'built-in',
  'builtin-edited': 'built-in · edited in this case',
  case: 'this case',
};

/**
 * The Rules view: the built-in pack and the case's own rules, searchable, each enabled or not in
 * this case; a Sigma editor with live validation and a live test against the case; import,
 * export, history with diff and revert. Saving re-runs the rule and replaces its findings.
 */
export function RulesView({ host, caseId, events, generation, selectedEventIds, onOpenEvent, onFindingsChanged }: RulesViewProps) {
  const [records, setRecords] = useState<RuleRecord[]>([]);
  const [hits, setHits] = useState<Map<string, RuleHits>>(new Map());
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing | undefined>();
  const [text, setText] = useState('');
  const [diagnostics, setDiagnostics] = useState<readonly EditorDiagnostic[]>([]);
  /** The last finished test and the text it tested: a result shown for other text is stale. */
  const [tested, setTested] = useState<{ readonly text: string; readonly result: RuleLabResult }>();
  const [running, setRunning] = useState(false);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [versions, setVersions] = useState<RuleVersionRecord[] | undefined>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const observed = useRef<ObservedFields>(new Map());
  const testRequest = useRef(0);

  const library = useMemo(() => mergeRuleLibrary(BUILTIN_RULES, records), [records]);
  const summaries = useMemo(() => new Map(library.map((r) => [r.id, summarizeRuleFile(r.yaml)])), [library]);
  const current = editing?.id !== undefined ? library.find((r) => r.id === editing.id) : undefined;
  // A new rule can always be saved; a library rule once its text differs.
  const dirty = editing !== undefined && (current === undefined || text !== current.yaml);

  const reload = useCallback(async () => {
    if (caseId === undefined) return;
    const db = database();
    const [nextRecords, nextHits] = await Promise.all([listRuleRecords(db, caseId), ruleHits(db, caseId)]);
    setRecords(nextRecords);
    setHits(nextHits);
  }, [caseId]);

  useEffect(() => { void reload(); }, [reload, generation]);

  useEffect(() => {
    if (caseId === undefined || events === 0) return;
    void ruleLab().fieldsByDataset(caseId).then((byDataset) => {
      observed.current = new Map(Object.entries(byDataset).map(([d, fields]) => [d, new Set(fields)]));
    });
  }, [caseId, events, generation]);

  // Open the first rule when the view opens.
  useEffect(() => {
    if (editing === undefined && library.length > 0) setEditing({ id: library[0]!.id, load: 0, initial: library[0]!.yaml });
  }, [editing, library]);

  // What detection runs beside the rule: the case's enabled rules (a disabled base rule or filter does not run).
  const libraryTexts = useCallback((exceptId: string | undefined) => library.filter((r) => r.id !== exceptId && r.enabled).map((r) => r.yaml), [library]);

  // Live test: every change of the text (debounced); the worker cancels the previous run.
  useEffect(() => {
    if (caseId === undefined || events === 0 || editing === undefined || text === '') return;
    const request = ++testRequest.current;
    setRunning(true);
    const timer = setTimeout(() => {
      // The first matches arrive while the scan goes on; the full result replaces them.
      const onFirst = proxy((partial: RuleLabResult) => {
        if (request === testRequest.current) setTested({ text, result: partial });
      });
      void ruleLab().test({ caseId, yaml: text, library: libraryTexts(editing.id) }, onFirst).then((r) => {
        if (request !== testRequest.current || r.status === 'cancelled') return;
        setTested({ text, result: r });
        setRunning(false);
      }, (error: unknown) => {
        if (request !== testRequest.current) return;
        setRunning(false);
        setMessage(`Test failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }, TEST_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [caseId, events, generation, text, editing, libraryTexts]);

  const open = (rule: LibraryRule) => {
    setEditing({ id: rule.id, load: (editing?.load ?? 0) + 1, initial: rule.yaml });
    setVersions(undefined);
    setChecked(new Set());
    setTested(undefined);
    setMessage(undefined);
  };

  const openNew = (yaml: string) => {
    setEditing({ id: undefined, load: (editing?.load ?? 0) + 1, initial: yaml });
    setVersions(undefined);
    setChecked(new Set());
    setTested(undefined);
  };

  /** Re-runs a rule file over the case and replaces its findings. */
  const rerun = async (yaml: string, enabled: boolean, replaceIds: readonly string[], exceptId: string | undefined) => {
    if (caseId === undefined) return undefined;
    const outcome = await ruleLab().rerun({ caseId, yaml, library: libraryTexts(exceptId), replaceIds, enabled });
    onFindingsChanged();
    return outcome;
  };

  const save = async () => {
    if (caseId === undefined || editing === undefined) return;
    const summary = summarizeRuleFile(text);
    if (summary.kind === 'invalid' || summary.key === undefined) {
      setMessage(`Not saved: ${summary.errors[0] !== undefined ? `line ${summary.errors[0].line ?? '?'}: ${summary.errors[0].message}` : 'the text holds no rule'}`);
      return;
    }
    setBusy(true);
    try {
      const db = database();
      const id = current?.id ?? summary.key;
      if (current === undefined && library.some((r) => r.id === id)) {
        setMessage(`Not saved: a rule with id ${id} exists already; give the new rule another id.`);
        return;
      }
      const builtin = current !== undefined && current.origin !== 'case';
      await saveRule(db, caseId, { id, yaml: text, builtin, ...(current?.builtinYaml !== undefined ? { builtinYaml: current.builtinYaml } : {}) });
      const before = current !== undefined ? summaries.get(current.id)?.keys ?? [] : [];
      const outcome = await rerun(text, current?.enabled ?? true, [id, ...before], id);
      await reload();
      setEditing({ id, load: editing.load, initial: text });
      if (versions !== undefined) setVersions(await listRuleVersions(db, caseId, id));
      setMessage(`Saved${builtin ? ' in this case (the built-in pack is unchanged)' : ''}; findings re-run: ${outcome === undefined ? 'no case' : `${formatCount(outcome.findings)} finding(s), ${formatCount(outcome.hits)} event(s)`}.`);
    } finally {
      setBusy(false);
    }
  };

  const toggle = async (rule: LibraryRule, enabled: boolean) => {
    if (caseId === undefined) return;
    await setRuleEnabled(database(), caseId, rule.id, enabled, rule.origin !== 'case');
    await rerun(rule.yaml, enabled, [rule.id, ...(summaries.get(rule.id)?.keys ?? [])], rule.id);
    await reload();
  };

  const showHistory = async () => {
    if (caseId === undefined || current === undefined) return;
    setVersions(await listRuleVersions(database(), caseId, current.id));
  };

  const revert = async (version: RuleVersionRecord) => {
    if (caseId === undefined || current === undefined || version.id === undefined) return;
    const db = database();
    const yaml = await revertRule(db, caseId, current.id, version.id, current.origin !== 'case');
    await rerun(yaml, current.enabled, [current.id, ...(summaries.get(current.id)?.keys ?? [])], current.id);
    await reload();
    setEditing({ id: current.id, load: (editing?.load ?? 0) + 1, initial: yaml });
    setVersions(await listRuleVersions(db, caseId, current.id));
    setMessage('Reverted; findings re-run.');
  };

  const importRules = async (kind: 'files' | 'folder') => {
    if (caseId === undefined) return;
    const sources = (await host.pickEvidence(kind)).filter((s) => /\.ya?ml$/i.test(s.path));
    if (sources.length === 0) return;
    setBusy(true);
    try {
      const db = database();
      const builtins = new Map(BUILTIN_RULES.map((b) => [b.id, b]));
      let imported = 0;
      const skipped: string[] = [];
      const saved: { id: string; yaml: string }[] = [];
      for (const source of sources) {
        const yaml = source.kind === 'file' ? await source.file.text() : await (await fetch(source.url)).text();
        const summary = summarizeRuleFile(yaml);
        if (summary.key === undefined) {
          skipped.push(source.path);
          continue;
        }
        const builtin = builtins.get(summary.key);
        await saveRule(db, caseId, { id: summary.key, yaml, builtin: builtin !== undefined, ...(builtin !== undefined ? { builtinYaml: builtin.yaml } : {}) });
        saved.push({ id: summary.key, yaml });
        imported++;
      }
      await reload();
      if (saved.length <= RERUN_IMPORT_LIMIT) {
        const texts = [...library.map((r) => r.yaml), ...saved.map((s) => s.yaml)];
        for (const s of saved) await ruleLab().rerun({ caseId, yaml: s.yaml, library: texts.filter((t) => t !== s.yaml), replaceIds: [s.id], enabled: true });
        onFindingsChanged();
        await reload();
      }
      const first = saved[0];
      if (first !== undefined) setEditing({ id: first.id, load: (editing?.load ?? 0) + 1, initial: first.yaml });
      setMessage(`Imported ${imported} rule file(s)${skipped.length > 0 ? `; ${skipped.length} not a Sigma rule (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''})` : ''}${saved.length > RERUN_IMPORT_LIMIT ? '; run detection to get their findings' : '; findings re-run'}.`);
    } finally {
      setBusy(false);
    }
  };

  const exportText = async (name: string, yaml: string) => {
    await host.saveFile(name, new TextEncoder().encode(yaml), 'application/yaml');
  };

  const exportAll = async () => {
    const all = library.map((r) => (r.yaml.endsWith('\n') ? r.yaml : `${r.yaml}\n`)).join('---\n');
    await exportText('loupe-rules.yml', all);
  };

  const draftFrom = async (ids: readonly number[]) => {
    if (caseId === undefined || ids.length === 0) return;
    const yaml = await ruleLab().draft(caseId, ids, crypto.randomUUID(), today());
    openNew(yaml);
    setMessage(`Drafted a rule from ${ids.length} event(s); refine it, then save.`);
  };

  const needle = query.trim().toLowerCase();
  const shown = library.filter((r) => {
    if (needle === '') return true;
    const s = summaries.get(r.id);
    return [r.id, s?.title, s?.logsource, s?.level, s?.status, r.path].some((x) => x?.toLowerCase().includes(needle));
  });
  const hitsOf = (summary: RuleFileSummary | undefined): RuleHits => {
    let findings = 0;
    let evts = 0;
    for (const key of summary?.keys ?? []) {
      const h = hits.get(key);
      findings += h?.findings ?? 0;
      evts += h?.events ?? 0;
    }
    return { findings, events: evts };
  };
  const title = editing === undefined ? '' : current !== undefined ? summaries.get(current.id)?.title ?? current.id : 'New rule (not saved)';

  return (
    <section className="rules-view" data-testid="rules-view">
      <aside className="rules-list">
        <div className="rules-toolbar">
          <input type="search" placeholder="Search rules" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="rules-search" aria-label="Search rules" />
          <div className="rules-buttons">
            <button type="button" onClick={() => openNew(NEW_RULE.replace('{id}', crypto.randomUUID()).replace('{date}', today()))} data-testid="rule-new">New</button>
            <button type="button" disabled={selectedEventIds.length === 0 || events === 0} title="Draft a rule matching the event selected in the timeline" onClick={() => void draftFrom(selectedEventIds)} data-testid="rule-from-selection">From selection</button>
            <button type="button" disabled={busy} onClick={() => void importRules('files')} data-testid="rule-import-files">Import…</button>
            <button type="button" disabled={busy} onClick={() => void importRules('folder')} data-testid="rule-import-folder">Import folder…</button>
            <button type="button" onClick={() => void exportAll()} data-testid="rule-export-all">Export all</button>
          </div>
        </div>
        <table className="rules-table">
          <thead>
            <tr><th aria-label="Enabled">On</th><th>Rule</th><th>Level</th><th>Log source</th><th title="Events linked by this rule's findings in this case">Hits</th></tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const s = summaries.get(r.id);
              const h = hitsOf(s);
              return (
                <tr key={r.id} data-testid="rule-row" data-rule-id={r.id} className={`${r.id === editing?.id ? 'selected' : ''}${r.enabled ? '' : ' disabled'}`} onClick={() => open(r)}>
                  <td onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" checked={r.enabled} onChange={(e) => void toggle(r, e.target.checked)} aria-label={`Enable ${s?.title ?? r.id}`} data-testid="rule-enabled" />
                  </td>
                  <td>
                    <div className="rule-title">{s?.title ?? r.id}</div>
                    <div className="rule-meta muted">
                      {ORIGIN_LABEL[r.origin]}{s?.status !== '' && s?.status !== undefined ? ` · ${s.status}` : ''}{s?.kind === 'correlation' ? ' · correlation' : ''}
                      {s?.kind === 'invalid' && <span className="rule-invalid"> · does not load</span>}
                    </div>
                  </td>
                  <td><span className={`level level-${s?.level ?? ''}`}>{s?.level ?? ''}</span></td>
                  <td className="rule-logsource">{s?.logsource}</td>
                  <td className="rule-hits" data-testid="rule-hits" title={`${h.findings} finding(s)`}>{formatCount(h.events)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length === 0 && <p className="muted rules-empty">{library.length === 0 ? 'No rules yet: create one, import Sigma files, or draft one from an event.' : 'No rule matches the search.'}</p>}
      </aside>
      <div className="rule-workbench">
        {editing === undefined ? (
          <div className="muted rules-empty">Select a rule, or create one.</div>
        ) : (
          <>
            <div className="rule-header">
              <div>
                <h2 data-testid="rule-title">{title}{dirty && current !== undefined && <span className="muted"> · modified</span>}</h2>
                <div className="muted">{current !== undefined ? `${ORIGIN_LABEL[current.origin]}${current.path !== undefined ? ` · ${current.path}` : ''}` : 'saved in this case when you save'}</div>
              </div>
              <div className="rule-actions">
                <button type="button" disabled={!dirty || busy} onClick={() => void save()} data-testid="rule-save">{current !== undefined && current.origin === 'builtin' ? 'Save copy in case' : 'Save'}</button>
                <button type="button" disabled={!dirty || current === undefined} onClick={() => setEditing({ ...editing, load: editing.load + 1, initial: current?.yaml ?? editing.initial })}>Discard changes</button>
                <button type="button" disabled={current === undefined} onClick={() => void showHistory()} data-testid="rule-history-open">History</button>
                <button type="button" onClick={() => void exportText(ruleFileName(summarizeRuleFile(text).title), text)} data-testid="rule-export">Export</button>
                <button type="button" disabled={checked.size === 0} onClick={() => void draftFrom([...checked])} data-testid="rule-draft-checked">Draft from ticked ({checked.size})</button>
              </div>
            </div>
            {message !== undefined && <div className="rule-message" role="status" data-testid="rule-message">{message}</div>}
            <div className="rule-editor-area">
              <RuleEditor
                docKey={`${editing.id ?? 'new'}:${editing.load}`}
                initial={editing.initial}
                onChange={setText}
                onDiagnostics={setDiagnostics}
                observed={() => observed.current}
              />
            </div>
            <ul className="rule-diagnostics" data-testid="rule-diagnostics">
              {diagnostics.map((d, i) => (
                <li key={i} className={`diagnostic ${d.severity}`} data-testid="rule-diagnostic" data-line={d.line} data-column={d.column} data-severity={d.severity}>
                  <span className="diagnostic-at">{d.line}:{d.column}</span> {d.severity}: {d.message}
                </li>
              ))}
            </ul>
            {versions !== undefined && current !== undefined && (
              <RuleHistory versions={versions} current={current.yaml} onRevert={(v) => void revert(v)} onClose={() => setVersions(undefined)} />
            )}
            <RuleTestPanel
              result={tested?.result}
              running={running}
              stale={tested?.text !== text || (running && tested.result.status !== 'partial')}
              authors={authorsOf(tested?.result)}
              hasCase={caseId !== undefined && events > 0}
              checked={checked}
              onCheck={(id, on) => setChecked((prev) => {
                const next = new Set(prev);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              })}
              onOpen={onOpenEvent}
            />
          </>
        )}
      </div>
    </section>
  );
}
