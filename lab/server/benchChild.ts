// Runs the lab server in its own process for the benchmark, so its memory is measured without the
// emulated agents: prints the ports as JSON, then answers "mem" on stdin with process.memoryUsage().
import { startLabServer } from './index';

const server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, tls: false });
process.stdout.write(`${JSON.stringify({ opampUrl: server.opampUrl, uiUrl: server.uiUrl })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  if (line.trim() === 'mem') {
    (globalThis as { gc?: () => void }).gc?.();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ heapUsed: m.heapUsed, external: m.external, rss: m.rss, agents: server.registry.agents.size })}\n`);
  }
});
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
