// CodeMirror 6 set-up for read-only YAML with a per-line origin marker. Kept
// out of the React components: they hand in text and origins, nothing else.
import { EditorState, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, lineNumbers, type DecorationSet } from '@codemirror/view';
import { syntaxHighlighting } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { yaml } from '@codemirror/lang-yaml';
import type { LineOrigin } from '../../shared/state';

const setOrigins = StateEffect.define<LineOrigin[]>();

function decorate(state: EditorState, origins: LineOrigin[]): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (let i = 1; i <= state.doc.lines; i++) {
    const origin = origins[i - 1];
    if (!origin) continue;
    const line = state.doc.line(i);
    builder.add(line.from, line.from, Decoration.line({ class: `origin-${origin}`, attributes: { 'data-origin': origin } }));
  }
  return builder.finish();
}

const originField = StateField.define<{ origins: LineOrigin[]; deco: DecorationSet }>({
  create: () => ({ origins: [], deco: Decoration.none }),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setOrigins)) return { origins: e.value, deco: decorate(tr.state, e.value) };
    return value;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

export function readOnlyYaml(): import('@codemirror/state').Extension[] {
  return [
    lineNumbers(),
    yaml(),
    // Token classes (tok-*) so the colours follow the theme's CSS variables.
    syntaxHighlighting(classHighlighter),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.contentAttributes.of({ 'aria-label': 'effective.yaml (read-only)', tabindex: '0' }),
    originField,
  ];
}

export function showDocument(view: EditorView, text: string, origins: LineOrigin[]): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  view.dispatch({ effects: setOrigins.of(origins) });
}

/** Scrolls to and selects the first overlay line; false when there is none. */
export function jumpToOrigin(view: EditorView, origins: LineOrigin[], origin: LineOrigin): boolean {
  const index = origins.indexOf(origin);
  if (index < 0 || index + 1 > view.state.doc.lines) return false;
  const line = view.state.doc.line(index + 1);
  view.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
  view.focus();
  return true;
}
