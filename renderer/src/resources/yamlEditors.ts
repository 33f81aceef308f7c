// CodeMirror set-ups for the Resources view: a read-only YAML viewer for any
// object and an editable YAML editor for a ConfigMap key. Components hand in
// text and get text back; nothing else of CodeMirror leaks into them.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';

const base = (label: string): Extension[] => [lineNumbers(), yaml(), syntaxHighlighting(classHighlighter), EditorView.lineWrapping, EditorView.contentAttributes.of({ 'aria-label': label })];

export function yamlViewer(label: string): Extension[] {
  return [...base(label), EditorState.readOnly.of(true), EditorView.editable.of(false), EditorView.contentAttributes.of({ tabindex: '0' })];
}

/**
 * Editable YAML. Tab indents; CodeMirror's own escape hatch (Escape, then Tab
 * moves focus on) keeps the editor from trapping the keyboard.
 */
export function yamlEditor(label: string, onChange: (text: string) => void): Extension[] {
  return [
    ...base(label),
    history(),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
  ];
}

export function setText(view: EditorView, text: string): void {
  if (view.state.doc.toString() === text) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
