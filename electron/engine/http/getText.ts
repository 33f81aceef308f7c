// One GET with its whole body as text, over node:http or node:https by the URL (redirects are not
// followed). node:http, not fetch: fetch loads Node's bundled HTTP client on first use, a fifth of a
// second of CPU at every CLI start. Used for the server UI (through a forward or the API server's
// service proxy) and for the API reads that need no typed client (electron/engine/kube/apiGet.ts).
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpText {
  status: number;
  text: string;
  type: string;
}

/** `what` names the request in the timeout error. */
export function getText(url: URL, opts: RequestOptions, timeoutMs: number, what: string): Promise<HttpText> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...opts, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), type: String(res.headers['content-type'] ?? '') });
      });
    });
    // ETIMEDOUT, as a connect timeout says it: callers that explain errno codes explain this one too.
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`${what}: no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}
