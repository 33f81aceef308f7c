import { describe, expect, it } from 'vitest';
import { parseServerArgs } from './cli';

describe('server flags', () => {
  it('read the data folder and allowed host names (repeated or comma-separated)', () => {
    expect(parseServerArgs(['--host', '0.0.0.0', '--data-dir', '/data', '--allowed-host', 'lab.example.com,.workshop.test', '--allowed-host=opamp.local']))
      .toEqual({ host: '0.0.0.0', dataDir: '/data', allowedHosts: ['lab.example.com', '.workshop.test', 'opamp.local'] });
    expect(parseServerArgs(['--no-tls', '--no-rest', '--ui-port=0'])).toEqual({ tls: false, restPort: false, uiPort: 0 });
  });

  it('refuse what is not a host name or a port, with the reason', () => {
    expect(() => parseServerArgs(['--allowed-host', 'http://x'])).toThrow(/host names \(no ports or schemes\), got "http:\/\/x"/);
    expect(() => parseServerArgs(['--allowed-host', 'x:80'])).toThrow(/got "x:80"/);
    expect(() => parseServerArgs(['--data-dir'])).toThrow('--data-dir needs a folder');
    expect(() => parseServerArgs(['--ui-port', '70000'])).toThrow('--ui-port needs a port number 0-65535, got "70000"');
  });
});
