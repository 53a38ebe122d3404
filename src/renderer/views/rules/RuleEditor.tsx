import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { yaml } from '@codemirror/lang-yaml';
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, linter, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';
import { sigmaCompletion, sigmaDiagnostics, type ObservedFields } from './sigma-language';

/** A diagnostic as the list under the editor shows it (1-based line and column). */
export interface EditorDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
}

/** Lint runs this long after the last keystroke. */
const LINT_DELAY_MS = 200;

/** The default highlight colours are made for light backgrounds: lighter twins for the dark theme. */
const DARK_TWINS: Readonly<Record<string, string>> = {
  '#708': '#c792ea', '#219': '#82aaff', '#164': '#a5d68a', '#a11': '#f5a97f', '#e40': '#ff9e64',
  '#00f': '#7fb4ff', '#30a': '#b4a0ff', '#085': '#6fd0b0', '#167': '#7fd3e0', '#256': '#8ab4d0',
  '#00c': '#8fa8ff', '#940': '#9aa5b1', '#f00': '#ff7a7a', '#555': '#9aa5b1',
};

function highlighting(dark: boolean): Extension {
  if (!dark) return syntaxHighlighting(defaultHighlightStyle);
  return syntaxHighlighting(HighlightStyle.define(defaultHighlightStyle.specs.map((spec) => {
    const color = typeof spec['color'] === 'string' ? DARK_TWINS[spec['color']] ?? spec['color'] : spec['color'];
    return { ...spec, color };
  })));
}

export const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '12.5px', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--bg-raised)', color: 'var(--text-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--bg-hover) 60%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--accent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--bg-selected) !important' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-raised)', border: '1px solid var(--border)', color: 'var(--text)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--bg-selected)', color: 'var(--text)' },
  '.cm-completionDetail': { color: 'var(--text-muted)', marginLeft: '1em' },
});

export function isDark(): boolean {
  return document.documentElement.dataset['theme'] !== 'light';
}

interface RuleEditorProps {
  /** Identity of the text loaded: when it changes, the editor takes `initial` as its new document. */
  readonly docKey: string;
  readonly initial: string;
  readonly onChange: (text: string) => void;
  /** The latest diagnostics (after each lint run), for the list under the editor. */
  readonly onDiagnostics: (diagnostics: readonly EditorDiagnostic[]) => void;
  /** Fields the case's events carry, per dataset (read when linting and completing). */
  readonly observed: () => ObservedFields;
}

/**
 * Sigma YAML in CodeMirror 6: highlighting, completion of fields and modifiers, and the core's
 * loader and validator as lint, errors at their line and column.
 */
export function RuleEditor({ docKey, initial, onChange, onDiagnostics, observed }: RuleEditorProps) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  // The latest callbacks, read by the extensions created once.
  const callbacks = useRef({ onChange, onDiagnostics, observed });
  callbacks.current = { onChange, onDiagnostics, observed };

  useEffect(() => {
    if (parent.current === null) return;
    const editor = new EditorView({
      parent: parent.current,
      state: EditorState.create({ doc: '', extensions: extensions() }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = undefined;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor === undefined) return;
    editor.setState(EditorState.create({ doc: initial, extensions: extensions() }));
    // The text was loaded, not typed: tell the owner what the editor now holds.
    callbacks.current.onChange(initial);
    // `initial` is read only when the document identity changes.
  }, [docKey]);

  function extensions(): Extension[] {
    return [
      basicSetup,
      yaml(),
      highlighting(isDark()),
      editorTheme,
      EditorView.theme({}, { dark: isDark() }),
      keymap.of(completionKeymap),
      autocompletion({ override: [sigmaCompletion(() => callbacks.current.observed())], activateOnTyping: true }),
      lintGutter(),
      linter((v) => {
        const diagnostics = sigmaDiagnostics(v.state.doc, callbacks.current.observed());
        callbacks.current.onDiagnostics(diagnostics.map((d) => {
          const line = v.state.doc.lineAt(d.from);
          return { line: line.number, column: d.from - line.from + 1, severity: d.severity, message: d.message };
        }));
        return diagnostics;
      }, { delay: LINT_DELAY_MS }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
      }),
      EditorView.contentAttributes.of({ 'aria-label': 'Sigma rule (YAML)', 'data-testid': 'rule-editor-content' }),
    ];
  }

  return <div className="rule-editor" ref={parent} data-testid="rule-editor" />;
}
