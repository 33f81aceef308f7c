// busybox wget and nslookup over the embedded lab's network: names resolve
// through cluster DNS (Services by any of their DNS forms, as CoreDNS answers
// with the pod's search path), and connections go to the real local port behind
// the Service, so a wrong port or a server that is down fails as in a cluster.
import { request } from 'node:http';
import type { AppletIo } from './applets';
import { CLUSTER_DNS_IP } from './rootfs';
import { Vfs } from './vfs';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The address a name has from this pod: an IP as is, localhost, or a Service's ClusterIP. */
function lookupName(io: AppletIo, host: string): { fqdn: string; ip: string } | undefined {
  if (IPV4.test(host)) return { fqdn: host, ip: host };
  if (host === 'localhost') return { fqdn: 'localhost', ip: '127.0.0.1' };
  if (host === io.env.hostname) return { fqdn: host, ip: io.env.podIp ?? '127.0.0.1' };
  return io.env.network?.lookup?.(io.env.namespace ?? 'default', host);
}

function nslookup(args: string[], io: AppletIo): number {
  const names = args.filter((a) => !a.startsWith('-'));
  const name = names[0];
  if (!name) { io.err('Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n'); return 1; }
  const server = names[1] ?? CLUSTER_DNS_IP;
  io.out(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`);
  const found = lookupName(io, name);
  if (!found) { io.out(`** server can't find ${name}: NXDOMAIN\n\n`); return 1; }
  io.out(`Name:\t${found.fqdn}\nAddress: ${found.ip}\n\n`);
  return 0;
}

interface WgetOpts { quiet: boolean; output?: string; spider: boolean; headers: boolean; timeoutS: number; url?: string }

function parseWget(args: string[]): WgetOpts | { error: string } {
  const o: WgetOpts = { quiet: false, spider: false, headers: false, timeoutS: 900 };
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--spider') o.spider = true;
    else if (a === '-S' || a === '--server-response') o.headers = true;
    else if (a.startsWith('--timeout=')) o.timeoutS = Number(a.slice(10));
    else if (a.startsWith('--')) return { error: `wget: unrecognized option '${a}'` };
    else if (a.startsWith('-') && a.length > 1) {
      // Bundled short options; -O and -T take the rest of the word or the next one (-qO-).
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === 'q') o.quiet = true;
        else if (c === 'S') o.headers = true;
        else if (c === 'O' || c === 'T') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++k];
          if (v === undefined) return { error: `wget: option requires an argument -- '${c}'` };
          if (c === 'O') o.output = v; else o.timeoutS = Number(v);
          break;
        } else return { error: `wget: invalid option -- '${c}'` };
      }
    }
    else o.url = a;
  }
  return o;
}

async function wget(args: string[], io: AppletIo): Promise<number> {
  const o = parseWget(args);
  if ('error' in o) { io.err(`${o.error}\n`); return 1; }
  if (!o.url) { io.err('wget: missing URL\n'); return 1; }
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(o.url);
  if (!m) { io.err(`wget: bad address '${o.url}'\n`); return 1; }
  if (m[1] === 'https') { io.err('wget: the embedded lab speaks plain HTTP only (no TLS in its Services)\n'); return 1; }
  const host = m[2]!;
  const port = m[3] ? Number(m[3]) : 80;
  const path = m[4] || '/';
  const addr = lookupName(io, host);
  if (!addr) { io.err(`wget: bad address '${host}'\n`); return 1; }
  if (!o.quiet) io.err(`Connecting to ${host}${m[3] ? `:${port}` : ''} (${addr.ip}:${port})\n`);
  // This pod's own addresses are served by what listens in it; anything else through the cluster network.
  const own = addr.ip === '127.0.0.1' || addr.ip === io.env.podIp;
  const ownPort = own ? io.env.localPort?.(port) : undefined;
  const target = own ? (ownPort === undefined ? undefined : { ok: true as const, host: '127.0.0.1', port: ownPort }) : io.env.network?.resolve(io.env.namespace ?? 'default', host, port);
  const local = target?.ok ? target : undefined;
  if (!local) { io.err(`wget: can't connect to remote host (${addr.ip}): Connection refused\n`); return 1; }
  const res = await new Promise<{ status: number; statusText: string; headers: string[]; body: Buffer } | { error: string }>((resolve) => {
    const req = request({ host: local.host, port: local.port, path, method: o.spider ? 'HEAD' : 'GET', headers: { Host: m[3] ? `${host}:${port}` : host, 'User-Agent': 'Wget', Connection: 'close' }, timeout: o.timeoutS * 1000, signal: io.signal }, (r) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => {
        const headers: string[] = [];
        for (let k = 0; k < r.rawHeaders.length; k += 2) headers.push(`${r.rawHeaders[k]}: ${r.rawHeaders[k + 1]}`);
        resolve({ status: r.statusCode ?? 0, statusText: r.statusMessage ?? '', headers, body: Buffer.concat(parts) });
      });
      r.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('timeout', () => { req.destroy(); resolve({ error: 'download timed out' }); });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code === 'ECONNREFUSED' ? `can't connect to remote host (${addr.ip}): Connection refused` : e.code === 'ABORT_ERR' ? 'interrupted' : e.message }));
    req.end();
  });
  if ('error' in res) { io.err(`wget: ${res.error}\n`); return 1; }
  if (o.headers) io.err(`  HTTP/1.1 ${res.status} ${res.statusText}\n${res.headers.map((h) => `  ${h}\n`).join('')}`);
  if (res.status >= 400) { io.err(`wget: server returned error: HTTP/1.1 ${res.status} ${res.statusText}\n`); return 1; }
  if (o.spider) { if (!o.quiet) io.err('remote file exists\n'); return 0; }
  const file = o.output ?? (path.split('?')[0]!.split('/').pop() || 'index.html');
  if (file === '-') { io.out(res.body.toString('utf8')); return 0; }
  const dest = Vfs.norm(file, io.env.cwd);
  if (!o.quiet) io.err(`saving to '${file}'\n`);
  try {
    io.env.fs.write(dest, res.body.toString('utf8'));
  } catch {
    io.err(`wget: can't open '${file}': No such file or directory\n`);
    return 1;
  }
  if (!o.quiet) io.err(`${file.padEnd(20).slice(0, 20)} 100% |********************************| ${res.body.length}  0:00:00 ETA\n'${file}' saved\n`);
  return 0;
}

export const NET_APPLETS = { wget, nslookup };
