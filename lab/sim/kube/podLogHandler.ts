// GET pods/{name}/log: the kubelet's container log endpoint (container,
// previous, follow, sinceSeconds, sinceTime, tailLines, timestamps,
// limitBytes), with its errors for waiting containers and bad names.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { boolParam, intParam } from './http';
import type { Kubelet } from './kubelet';
import type { KubeApi } from './kubeApi';
import { formatTimestamp, type ContainerLog, type LogLine } from './logStore';
import { errors } from './status';

type Loose = Record<string, any>;

export function pickContainer(pod: Loose, requested: string | null): string {
  const names = ((pod.spec?.containers ?? []) as Loose[]).map((c) => String(c.name));
  if (!requested) {
    if (names.length === 1) return names[0] as string;
    throw errors.badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
  }
  if (!names.includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
  return requested;
}

export function createLogHandler(api: KubeApi, kubelet: Kubelet) {
  return async (route: { namespace: string; name: string }, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pod = api.get('pods', route.namespace, route.name);
    const container = pickContainer(pod, query.get('container'));
    const previous = boolParam(query, 'previous');
    const status = ((pod.status?.containerStatuses ?? []) as Loose[]).find((c) => c.name === container);
    const worker = kubelet.worker(route.namespace, route.name);
    // Which instance, as the kubelet picks it: --previous is lastState's container; otherwise the
    // running one, else the terminated one, else (waiting to restart) the last one that ran.
    let log: ContainerLog | undefined;
    const state = status?.state ?? {};
    const last = status?.lastState?.terminated;
    if (previous) {
      log = worker?.logs.byId(container, last?.containerID);
      if (!log) throw errors.badRequest(`previous terminated container "${container}" in pod "${route.name}" not found`);
    } else {
      const id = state.running ? undefined : state.terminated?.containerID ?? last?.containerID;
      log = state.running ? worker?.logs.current(container) : worker?.logs.byId(container, id);
      if (!log) {
        const reason = state.waiting?.reason ?? 'ContainerCreating';
        const why = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
        throw errors.badRequest(`container "${container}" in pod "${route.name}" is waiting to start: ${why}`);
      }
    }
    const timestamps = boolParam(query, 'timestamps');
    const sinceSeconds = intParam(query, 'sinceSeconds');
    const sinceTimeText = query.get('sinceTime');
    const sinceTime = sinceTimeText ? Date.parse(sinceTimeText) : undefined;
    if (sinceTimeText && Number.isNaN(sinceTime)) throw errors.badRequest(`parsing time "${sinceTimeText}" as "2006-01-02T15:04:05Z07:00": cannot parse`);
    const since = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime;
    const tail = intParam(query, 'tailLines');
    let limit = intParam(query, 'limitBytes') ?? Infinity;
    const format = (line: LogLine): string => `${timestamps ? `${formatTimestamp(line.time)} ` : ''}${line.text}\n`;

    let lines = log.lines.filter((l) => since === undefined || l.time.getTime() >= since);
    if (tail !== undefined && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    const write = (text: string): boolean => {
      if (limit <= 0) return false;
      const chunk = Buffer.byteLength(text) > limit ? Buffer.from(text).subarray(0, limit).toString() : text;
      limit -= Buffer.byteLength(chunk);
      res.write(chunk);
      return limit > 0;
    };
    for (const line of lines) if (!write(format(line))) break;
    if (!boolParam(query, 'follow') || limit <= 0) {
      res.end();
      return;
    }
    res.flushHeaders();
    await new Promise<void>((resolve) => {
      // follow() may call back at once (an instance that already ended), before it has
      // returned its stop function: finish() must cope with not having one yet.
      let stop: (() => void) | undefined;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        stop?.();
        if (!res.writableEnded) res.end();
        resolve();
      };
      req.on('close', finish);
      res.on('close', finish);
      stop = log.follow((line) => {
        if (line === null || !write(format(line))) finish();
      });
      if (finished) stop();
    });
  };
}
