// One-shot exec with an argv (never a shell string): read a file, run a check.
import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { EngineError } from '../errors';
import { kubeError, type KubeSession } from './session';

export async function execOnce(session: KubeSession, pod: string, argv: string[], opts: { container?: string; timeoutMs?: number; maxBytes?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const max = opts.maxBytes ?? 4 * 1024 * 1024;
  let stdout = '';
  let stderr = '';
  const out = new Writable({ write: (c: Buffer, _e, cb) => { if (stdout.length < max) stdout += c.toString(); cb(); } });
  const err = new Writable({ write: (c: Buffer, _e, cb) => { if (stderr.length < 65536) stderr += c.toString(); cb(); } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new EngineError('timeout', `exec in ${pod}: no answer after ${(opts.timeoutMs ?? 15_000) / 1000} s`)), opts.timeoutMs ?? 15_000);
    new k8s.Exec(session.kc)
      .exec(session.namespace, pod, opts.container ?? 'agent', argv, out, err, null, false, (status) => {
        clearTimeout(timer);
        const codeText = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
        const code = status.status === 'Success' ? 0 : Number(codeText ?? 1);
        // Let the last stdout frames land before resolving.
        setImmediate(() => resolve({ code, stdout, stderr }));
      })
      .catch((e: unknown) => {
        clearTimeout(timer);
        reject(kubeError(e, `exec in pod ${pod}`, session.server));
      });
  });
}

export async function readPodFile(session: KubeSession, pod: string, path: string): Promise<string> {
  const r = await execOnce(session, pod, ['cat', '--', path]);
  if (r.code !== 0) throw new EngineError('not-found', `cat ${path} in ${pod}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  return r.stdout;
}
