// Runs the lab server in its own process for the benchmark, so its memory is measured without the
// emulated agents: prints the ports as JSON, then answers "mem" on stdin with process.memoryUsage().
// argv[2], when given, is a JSON object of limit overrides (to compare with a limit raised).
import { startLabServer } from './index';

const limits = process.argv[2] ? (JSON.parse(process.argv[2]) as Record<string, number>) : {};
const server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false, tls: false, limits });
process.stdout.write(`${JSON.stringify({ opampUrl: server.opampUrl, uiUrl: server.uiUrl })}\n`);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  if (line.trim() === 'mem') {
    (globalThis as { gc?: () => void }).gc?.();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const agents = [...server.registry.agents.values()];
    process.stdout.write(`${JSON.stringify({
      heapUsed: m.heapUsed, external: m.external, rss: m.rss, agents: agents.length,
      connected: agents.filter((a) => a.connected).length, reported: agents.filter((a) => a.effective).length,
    })}\n`);
  }
});
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
