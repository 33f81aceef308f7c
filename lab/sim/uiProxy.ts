// Publishes an in-cluster address (the server UI behind its Service) on a
// local 127.0.0.1 port: each connection is resolved anew, so it follows the
// pod across restarts.
import { connect, createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SimNetwork } from './pod/types';

export interface PublishedPort {
  port: number;
  close(): Promise<void>;
}

export async function publishServicePort(network: SimNetwork, namespace: string, service: string, port: number, localPort = 0): Promise<PublishedPort> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const target = network.resolve(namespace, service, port);
    if (!target.ok) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    client.pipe(upstream).pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(localPort, '127.0.0.1', () => resolve());
  });
  // After listening, an accept failure (e.g. out of file descriptors) is an 'error' event: keep serving.
  server.on('error', () => undefined);
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
