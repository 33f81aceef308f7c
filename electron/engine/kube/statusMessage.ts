// The message of a Kubernetes Status in a failed client-node call's body (the
// kubelet's and API server's own words: "previous terminated container … not
// found", a validation failure), or undefined when there is none.
export function statusMessage(err: unknown): string | undefined {
  const body = (err as { body?: unknown } | undefined)?.body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { kind?: unknown; message?: unknown };
    return parsed.kind === 'Status' && typeof parsed.message === 'string' && parsed.message ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
