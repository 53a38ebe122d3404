import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { MergeView } from '@codemirror/merge';
import { useEffect, useRef, useState } from 'react';
import type { RuleVersionRecord } from '../../../store';
import { formatUtc } from '../../app/format';
import { editorTheme } from './RuleEditor';

interface RuleHistoryProps {
  readonly versions: readonly RuleVersionRecord[];
  /** The saved text the versions are compared with. */
  readonly current: string;
  readonly onRevert: (version: RuleVersionRecord) => void;
  readonly onClose: () => void;
}

/** Earlier versions of a rule in this case, each with its diff against the saved text, and revert. */
export function RuleHistory({ versions, current, onRevert, onClose }: RuleHistoryProps) {
  const [selected, setSelected] = useState<number | undefined>(versions[0]?.id);
  const diffParent = useRef<HTMLDivElement>(null);
  const version = versions.find((v) => v.id === selected);

  useEffect(() => {
    if (diffParent.current === null || version === undefined) return;
    const readOnly = [yaml(), editorTheme, EditorState.readOnly.of(true), EditorView.editable.of(false)];
    const merge = new MergeView({
      a: { doc: version.yaml, extensions: readOnly },
      b: { doc: current, extensions: readOnly },
      parent: diffParent.current,
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => merge.destroy();
  }, [version, current]);

  return (
    <section className="rule-history" data-testid="rule-history">
      <div className="rule-history-header">
        <h3>History <span className="muted">(this case; the built-in pack is never changed)</span></h3>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close history">×</button>
      </div>
      {versions.length === 0 ? (
        <p className="muted">No earlier versions: this rule has not been saved over in this case.</p>
      ) : (
        <div className="rule-history-body">
          <ul className="rule-versions">
            {versions.map((v, i) => (
              <li key={v.id} className={v.id === selected ? 'selected' : ''} data-testid="rule-version">
                <button type="button" onClick={() => setSelected(v.id)}>
                  {i === versions.length - 1 ? 'first version' : `version ${versions.length - i}`} · replaced {formatUtc(v.replacedAt)}
                </button>
              </li>
            ))}
          </ul>
          {version !== undefined && (
            <div className="rule-diff">
              <div className="rule-diff-labels"><span>Version of {formatUtc(version.replacedAt)}</span><span>Saved now</span></div>
              <div ref={diffParent} className="rule-diff-view" data-testid="rule-diff" />
              <button type="button" onClick={() => onRevert(version)} data-testid="rule-revert">Revert to this version</button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
