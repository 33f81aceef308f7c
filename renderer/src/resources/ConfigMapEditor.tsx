// The agent's ConfigMap edited in place (the guide's Step 4 from the app): pick
// a key, edit, look at the diff against the cluster's version, Apply. The edit
// starts from a resourceVersion, so a change made meanwhile (kubectl apply in a
// lab shell) is refused with a clear message instead of being overwritten.
import { useEffect, useRef, useState } from 'react';
import { EditorView } from '@codemirror/view';
import { MergeView } from '@codemirror/merge';
import type { ConfigMapView } from '../../../shared/state';
import { getLab } from '../../lab/getLab';
import { runOperation } from '../operations';
import { setText, yamlEditor, yamlViewer } from './yamlEditors';

export function ConfigMapEditor({ cm }: { cm: ConfigMapView }) {
  const keys = Object.keys(cm.data);
  const [key, setKey] = useState(keys.includes('collector.yaml') ? 'collector.yaml' : (keys[0] ?? ''));
  const [base, setBase] = useState(cm);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [showDiff, setShowDiff] = useState(false);
  const [note, setNote] = useState<string>();
  const host = useRef<HTMLDivElement>(null);
  const diffHost = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Text the app puts in the editor is not an edit: only the person's typing lands in `edits`.
  const programmatic = useRef(false);
  // The version our own Apply replaced: a watch event still carrying it must not undo the apply.
  const superseded = useRef<string | undefined>(undefined);
  const dirty = Object.entries(edits).some(([k, v]) => v !== base.data[k]);
  const newer = cm.resourceVersion !== base.resourceVersion;

  // Not editing: follow the watch. Editing: keep the text and say a newer version exists.
  useEffect(() => {
    if (!dirty && cm.resourceVersion !== superseded.current) setBase(cm);
  }, [cm, dirty]);

  const show = (text: string): void => {
    if (!view.current) return;
    programmatic.current = true;
    try {
      setText(view.current, text);
    } finally {
      programmatic.current = false;
    }
  };

  useEffect(() => {
    view.current = new EditorView({
      parent: host.current!,
      extensions: yamlEditor(`ConfigMap ${cm.name}, key ${key} (editable)`, (text) => {
        if (!programmatic.current) setEdits((e) => ({ ...e, [key]: text }));
      }),
    });
    show(edits[key] ?? base.data[key] ?? '');
    return () => view.current?.destroy();
    // A new editor per key; the text of other keys stays in `edits`.
  }, [key, cm.name]);

  useEffect(() => {
    if (edits[key] === undefined) show(base.data[key] ?? '');
  }, [base.resourceVersion]);

  useEffect(() => {
    if (!showDiff || !diffHost.current) return;
    const merge = new MergeView({
      parent: diffHost.current,
      a: { doc: base.data[key] ?? '', extensions: yamlViewer(`${key} in the cluster`) },
      b: { doc: edits[key] ?? base.data[key] ?? '', extensions: yamlViewer(`${key} as edited`) },
    });
    return () => merge.destroy();
  }, [showDiff, key, edits, base]);

  const apply = async () => {
    setNote(undefined);
    const data = { ...base.data, ...edits };
    const r = await runOperation(`Apply ConfigMap ${cm.name}`, () => getLab().applyConfigMap({ name: cm.name, data, resourceVersion: base.resourceVersion }), (v) => `configmap/${cm.name} configured (resourceVersion ${v.resourceVersion}). Pods read it at start: Rollout restart to use it.`);
    if (r) {
      superseded.current = base.resourceVersion;
      setEdits({});
      setShowDiff(false);
      setBase({ ...base, data, resourceVersion: r.resourceVersion });
      setNote('Applied. The agent reads the ConfigMap when its pod starts: use Rollout restart (the guide\'s next step).');
    }
  };

  return (
    <div className="cm-editor-pane">
      <div className="toolbar">
        <label>
          Key{' '}
          <select aria-label="ConfigMap key" value={key} onChange={(e) => setKey(e.target.value)}>
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={showDiff} disabled={!dirty} onClick={() => setShowDiff(!showDiff)}>
          {showDiff ? 'Hide diff' : 'Show diff'}
        </button>
        <button type="button" disabled={!dirty} onClick={() => void apply()}>
          Apply
        </button>
        <button
          type="button"
          disabled={!dirty && !newer}
          onClick={() => {
            setEdits({});
            setBase(cm);
            setShowDiff(false);
            show(cm.data[key] ?? '');
          }}
        >
          Discard edits
        </button>
        <span className="muted" role="status">
          {dirty ? 'edited, not applied' : 'as in the cluster'} · resourceVersion {base.resourceVersion}
          {newer ? ` · the cluster has a newer version (${cm.resourceVersion})` : ''}
        </span>
      </div>
      {note && <p className="status-applied" role="status">{note}</p>}
      <div ref={host} className="cm-host res-yaml" hidden={showDiff} data-testid="configmap-editor" />
      {showDiff && <div ref={diffHost} className="cm-host res-yaml" data-testid="configmap-diff" aria-label={`Diff of ${key}: cluster (left) and your edit (right)`} />}
    </div>
  );
}
