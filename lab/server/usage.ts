// The text of `opamp-lab server --help`, in a module of its own so the launcher's quick help
// (electron/cliUsage.ts) prints it without loading the server.
export const SERVER_USAGE = `Usage: opamp-lab server [options]

Runs the lab's OpAMP server: OpAMP on /v1/opamp (WebSocket and HTTP; TLS with a demo-only certificate
unless --no-tls), the web UI and /api, and the opamp-go compatible REST API.

Options:
  --opamp-port N       OpAMP port (default 4320)
  --ui-port N          web UI and /api port (default 4321)
  --rest-port N        REST API port (default 4322; 0 = any free port)
  --no-rest            do not serve the REST API
  --host H             address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --no-tls             plain ws:// and http:// instead of wss:// and https://
  --data-dir DIR       keep saved overlays in DIR/overlays.json across restarts (default: memory only)
  --allowed-host NAME  also answer to this Host name on the UI and REST ports (repeatable; comma-separated
                       lists work; ".example.com" allows its subdomains). IP addresses, localhost and the
                       in-cluster Service names (opamp-server[.opamp[.svc[.cluster.local]]]) always work.
  --help               show this help`;
