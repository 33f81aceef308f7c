import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/api';
import { formatLine } from './logTerminal';

const view = { follow: true, timestamps: false, filter: '', pod: '', wrap: true };
const line = (over: Partial<LogLine>): LogLine => ({ seq: 1, pod: 'agent-1', container: 'agent', source: 'agent.log', at: 0, text: '', ...over });
// Our own colouring is ESC[<n>m; anything else with an ESC came from the pod.
const foreignEscapes = (s: string) => s.replace(/\x1b\[\d+m/g, '').match(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g) ?? [];

describe('formatLine: pod text reaches xterm shown, not executed', () => {
  it('turns ESC/BEL/OSC sequences from agent.log into visible characters', () => {
    const out = formatLine(line({ text: 'boom \x1b]0;owned\x07 \x1b[2J\x1b[H done' }), view);
    expect(foreignEscapes(out)).toEqual([]);
    expect(out).toContain('␛]0;owned␇ ␛[2J␛[H done');
  });

  it('does the same in JSON lines, container names and marker details', () => {
    const json = formatLine(line({ text: '{"level":"error","msg":"bad \\u001b[31m red \\u0007"}' }), view);
    expect(foreignEscapes(json)).toEqual([]);
    expect(json).toContain('bad ␛[31m red ␇');
    const src = formatLine(line({ source: 'pod-log', container: 'a\x1bc', text: 'x' }), view);
    expect(foreignEscapes(src)).toEqual([]);
    const marker = formatLine(line({ marker: { kind: 'stalled', detail: 'pod \x1b[5mX' } }), view);
    expect(foreignEscapes(marker)).toEqual([]);
    expect(marker).toContain('pod ␛[5mX');
  });
});
