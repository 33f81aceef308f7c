import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin, parseHostHeader, sameOrigin } from './requestGuard';

function req(headers: Record<string, string>, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const policy = { allowedHosts: ['lab.example.com', '.workshop.test'] };
const PROXY_URI = '/api/v1/namespaces/opamp/services/opamp-server:4321/proxy/save_config';

describe('Host allow-list', () => {
  it('parses Host headers, refusing ones that are not a host', () => {
    expect(parseHostHeader('Opamp-Server.opamp.:4321')).toEqual({ hostname: 'opamp-server.opamp', port: '4321' });
    expect(parseHostHeader('[::1]:80')).toEqual({ hostname: '[::1]', port: '80' });
    expect(parseHostHeader('localhost')).toEqual({ hostname: 'localhost', port: '' });
    for (const bad of ['', 'a b', 'x/y', 'user@host', 'a:99999']) expect(parseHostHeader(bad)).toBeUndefined();
  });

  it('accepts IP literals, localhost, the Service names and configured names, any port', () => {
    for (const host of ['127.0.0.1:53122', '10.244.0.7:4321', '[::1]:8080', 'localhost:4321', 'app.localhost',
      'opamp-server:4321', 'opamp-server.opamp', 'opamp-server.opamp.svc:4321', 'opamp-server.opamp.svc.cluster.local:4321',
      'lab.example.com', 'a.workshop.test:4321', 'workshop.test']) {
      expect(checkHost(req({ host }), policy), host).toEqual({ ok: true });
    }
  });

  it('refuses other names (DNS rebinding) with 403 and says how to allow one, and a missing Host with 400', () => {
    const v = checkHost(req({ host: 'evil.example:4321' }), policy);
    expect(v).toMatchObject({ ok: false, status: 403 });
    expect(!v.ok && v.reason).toContain('--allowed-host evil.example');
    expect(checkHost(req({ host: 'lab.example.com.evil.example' }), policy)).toMatchObject({ ok: false });
    expect(checkHost(req({}), policy)).toMatchObject({ ok: false, status: 400 });
  });

  it('accepts the API server\'s own Host only on its proxy path and from a non-loopback peer', () => {
    const eks = { host: 'abcdef.gr7.eu-west-1.eks.amazonaws.com', 'x-forwarded-uri': PROXY_URI };
    expect(checkHost(req(eks, '172.16.3.9'), policy)).toEqual({ ok: true });
    expect(checkHost(req({ ...eks, 'x-forwarded-uri': '/api/v1/namespaces/opamp/pods/opamp-server-1/proxy/' }, '::ffff:172.16.3.9'), policy)).toEqual({ ok: true });
    // A rebinding page arrives through a port-forward, from 127.0.0.1 in the pod, and may add any header.
    expect(checkHost(req(eks, '127.0.0.1'), policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(req(eks, '::ffff:127.0.0.1'), policy)).toMatchObject({ ok: false, status: 403 });
    expect(checkHost(req({ ...eks, 'x-forwarded-uri': '/save_config' }, '172.16.3.9'), policy)).toMatchObject({ ok: false });
  });
});

describe('Origin / Referer check for writes', () => {
  const at = (headers: Record<string, string>) => checkOrigin(req({ host: '127.0.0.1:53122', ...headers }), policy);

  it('accepts the same origin, loopback origins (kubectl proxy) and configured names', () => {
    expect(at({ origin: 'http://127.0.0.1:53122' })).toEqual({ ok: true });
    expect(at({ origin: 'http://127.0.0.1:8001' })).toEqual({ ok: true });
    expect(at({ origin: 'http://localhost:3000' })).toEqual({ ok: true });
    expect(at({ origin: 'https://lab.example.com' })).toEqual({ ok: true });
    expect(at({ referer: 'http://127.0.0.1:53122/agent?instanceid=x' })).toEqual({ ok: true });
  });

  it('passes clients that are not browsers (no Origin, no Referer)', () => {
    expect(at({})).toEqual({ ok: true });
  });

  it('refuses a foreign origin, an IP-literal origin that is not this server, "null" and a foreign Referer', () => {
    for (const origin of ['https://evil.example', 'http://203.0.113.9', 'null', 'file://', 'not a url']) {
      expect(at({ origin }), origin).toMatchObject({ ok: false, status: 403 });
    }
    expect(at({ referer: 'https://evil.example/page' })).toMatchObject({ ok: false, status: 403 });
    // Origin wins over a matching Referer.
    expect(at({ origin: 'https://evil.example', referer: 'http://127.0.0.1:53122/' })).toMatchObject({ ok: false });
  });

  it('compares ports with scheme defaults (API server proxy on 443)', () => {
    // A Host without a port means the default port of whatever scheme the browser used.
    const r = req({ host: 'abcdef.eks.amazonaws.com' });
    expect(sameOrigin('https://abcdef.eks.amazonaws.com', r)).toBe(true);
    expect(sameOrigin('https://abcdef.eks.amazonaws.com', req({ host: 'abcdef.eks.amazonaws.com:443' }))).toBe(true);
    expect(sameOrigin('https://abcdef.eks.amazonaws.com', req({ host: 'abcdef.eks.amazonaws.com:80' }))).toBe(false);
    expect(sameOrigin('http://127.0.0.1:1', req({ host: '127.0.0.1:2' }))).toBe(false);
  });
});
