// Read-only YAML of one object, read again whenever the watch changes it
// (`version` is whatever the view knows of the object: its view entry as JSON).
import { useEffect, useRef, useState } from 'react';
import { EditorView } from '@codemirror/view';
import { getLab } from '../../lab/getLab';
import type { Selection } from './selection';
import { setText, yamlViewer } from './yamlEditors';

export function YamlView({ selection, version }: { selection: Selection; version: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    view.current = new EditorView({ parent: host.current!, extensions: yamlViewer(`YAML of ${selection.kind} ${selection.name} (read-only)`) });
    return () => view.current?.destroy();
  }, [selection.kind, selection.name]);

  useEffect(() => {
    let stale = false;
    getLab()
      .getObjectYaml({ kind: selection.kind, name: selection.name })
      .then(
        (r) => {
          if (stale || !view.current) return;
          setError(undefined);
          setText(view.current, r.yaml);
        },
        (e: Error) => !stale && setError(e.message),
      );
    return () => {
      stale = true;
    };
  }, [selection.kind, selection.name, version]);

  return (
    <>
      {error && <p className="error" role="alert">{error}</p>}
      <div ref={host} className="cm-host res-yaml" data-testid="object-yaml" />
    </>
  );
}
