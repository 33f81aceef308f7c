// supervisor (PID 1) → its children, per agent pod. A new collector PID after a
// config change is called out as a restart.
import { useRef, type ReactNode } from 'react';
import type { AgentPodState, ProcessInfo } from '../../shared/state';
import { clock } from './format';
import { useLab } from './store';

export function ProcessTree() {
  const agents = useLab((s) => s.agents);
  return (
    <section className="card procs" aria-label="Processes">
      <h2>Processes</h2>
      {agents.length === 0 ? <div className="muted empty-note">No agent pod to inspect.</div> : agents.map((a) => <PodProcesses key={a.pod} agent={a} />)}
    </section>
  );
}

function PodProcesses({ agent }: { agent: AgentPodState }) {
  // Remember collector PIDs seen for this pod to spot restarts.
  const history = useRef<{ pid: number; at: number }[]>([]);
  const collector = agent.processes.find((p) => p.ppid === 1 && /otelcol/.test(p.comm + (p.argv[0] ?? '')));
  if (collector && history.current.at(-1)?.pid !== collector.pid) history.current.push({ pid: collector.pid, at: Date.now() });
  const restarts = history.current.length - 1;
  const root = agent.processes.find((p) => p.pid === 1);
  if (!root) return <div className="muted empty-note">{agent.pod}: no process report yet.</div>;
  // A real tree by PPID: processes started with kubectl exec have PPID 0 and stand beside PID 1.
  const pids = new Set(agent.processes.map((p) => p.pid));
  const roots = [root, ...agent.processes.filter((p) => p !== root && !pids.has(p.ppid))];
  const node = (p: ProcessInfo): ReactNode => {
    const kids = agent.processes.filter((c) => c.ppid === p.pid && c !== p);
    return (
      <li key={p.pid}>
        <Proc p={p} />
        {p === collector && restarts > 0 && (
          <div className="restart" role="status">
            ↻ collector restarted (was PID {history.current.at(-2)?.pid}, now {p.pid})
          </div>
        )}
        {kids.length > 0 && <ul>{kids.map(node)}</ul>}
      </li>
    );
  };
  return (
    <ul className="tree" aria-label={`Processes in ${agent.pod}`}>
      {roots.map(node)}
    </ul>
  );
}

function Proc({ p }: { p: ProcessInfo }) {
  return (
    <div className="proc" data-pid={p.pid}>
      <code className="pid">PID {p.pid}</code> <code className="muted">PPID {p.ppid}</code> <strong>{p.comm}</strong>
      <span className="muted nowrap"> {p.startedAt ? `started ${clock(p.startedAt)}` : 'start time not read yet'}</span>
      <div className="argv" title={p.argv.join(' ')}>
        <code>{p.argv.join(' ')}</code>
      </div>
    </div>
  );
}
