// Container logs as the kubelet keeps them: per container instance (restart),
// each line timestamped on arrival; readers can tail, filter by time and
// follow a live instance until it ends.

export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr';
  text: string;
}

export class ContainerLog {
  readonly lines: LogLine[] = [];
  ended = false;
  private readonly followers = new Set<(line: LogLine | null) => void>();

  constructor(readonly containerId = '', private readonly maxLines = 20_000) {}

  append(stream: LogLine['stream'], text: string): void {
    if (this.ended) return;
    const line = { time: new Date(), stream, text };
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    for (const f of [...this.followers]) f(line);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const f of [...this.followers]) f(null);
    this.followers.clear();
  }

  /** Calls `listener` per new line, then with null once the instance ends. */
  follow(listener: (line: LogLine | null) => void): () => void {
    if (this.ended) {
      listener(null);
      return () => {};
    }
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }
}

/** Logs of one pod: for each container, its instances in start order. */
export class PodLogs {
  private readonly byContainer = new Map<string, ContainerLog[]>();

  startInstance(container: string, containerId = ''): ContainerLog {
    const log = new ContainerLog(containerId);
    const list = this.byContainer.get(container) ?? [];
    // The kubelet keeps the current and the previous instance only.
    list.push(log);
    while (list.length > 2) list.shift();
    this.byContainer.set(container, list);
    return log;
  }

  current(container: string): ContainerLog | undefined {
    return this.byContainer.get(container)?.at(-1);
  }

  /** The instance with this containerID (as container statuses name it). */
  byId(container: string, containerId: string | undefined): ContainerLog | undefined {
    return containerId ? this.byContainer.get(container)?.find((l) => l.containerId === containerId) : undefined;
  }

  previous(container: string): ContainerLog | undefined {
    const list = this.byContainer.get(container) ?? [];
    return list.length >= 2 ? list[list.length - 2] : undefined;
  }
}

/** RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints. */
export function formatTimestamp(time: Date): string {
  return time.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
