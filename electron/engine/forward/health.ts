// Health probes through the local end of a port-forward: an HTTP GET for the UI
// port, an OpAMP WebSocket handshake (TLS, demo certificate) for 4320.
import { request } from 'node:http';
import WebSocket from 'ws';

export function probeHttp(port: number, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      if (code >= 500 || code === 0) reject(new Error(`GET / answered ${code}`));
      else resolve(code);
    });
    req.on('timeout', () => req.destroy(new Error(`GET / timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Opens and closes an OpAMP WebSocket (no subprotocol, like opamp-go); wss first, ws when the server is plain. */
export async function probeOpampWebSocket(port: number, timeoutMs = 3000): Promise<'wss' | 'ws'> {
  try {
    await handshake(`wss://127.0.0.1:${port}/v1/opamp`, timeoutMs);
    return 'wss';
  } catch (err) {
    // A plain-ws server answers a TLS hello with garbage; try plain before giving up.
    try {
      await handshake(`ws://127.0.0.1:${port}/v1/opamp`, timeoutMs);
      return 'ws';
    } catch {
      throw err;
    }
  }
}

function handshake(url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false, handshakeTimeout: timeoutMs });
    ws.on('open', () => {
      ws.close(1000, 'health check');
      resolve();
    });
    ws.on('unexpected-response', (_req, res) => {
      reject(new Error(`OpAMP handshake answered HTTP ${res.statusCode ?? '?'}`));
      ws.terminate();
    });
    ws.on('error', (e) => reject(new Error(`OpAMP handshake: ${e.message}`)));
  });
}
