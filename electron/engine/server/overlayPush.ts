// Sends an overlay the way a person does in the server UI: POST /save_config
// with form fields instanceid and config (opamp-go example server and ours).
import { createHash } from 'node:crypto';
import { EngineError } from '../errors';

export function configHash(text: string): string {
  // One "" entry with no content type: the hash is the body's sha256 (opamp-go example server).
  return createHash('sha256').update(text).digest('hex');
}

export async function saveConfig(baseUrl: string, instanceUid: string, text: string, timeoutMs = 10_000): Promise<void> {
  const body = new URLSearchParams({ instanceid: instanceUid, config: text });
  let res: Response;
  try {
    res = await fetch(new URL('/save_config', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new EngineError('unreachable', `POST /save_config: the server UI is not reachable through the port-forward: ${(err as Error).message}`);
  }
  await res.text().catch(() => '');
  if (res.status === 404) throw new EngineError('not-found', `POST /save_config: the server does not know agent ${instanceUid} (it may have reconnected with a new instance uid).`);
  if (res.status !== 303 && res.status !== 302 && res.status !== 200 && res.status !== 204) {
    throw new EngineError('overlay', `POST /save_config answered ${res.status} for agent ${instanceUid}.`);
  }
}
