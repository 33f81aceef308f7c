import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ServerAgentView } from '../../shared/serverApi';
import { agentListPage, agentPage, esc, PAGE_CSP } from './html';

const evil = '<script>alert("x")</script>';
const view: ServerAgentView = {
  instanceUid: '01020304-0506-0708-090a-0b0c0d0e0f10', group: `host:${evil}`, connected: true, transport: 'websocket',
  firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', sequenceNum: 3, capabilities: 1,
  serviceName: evil, identifyingAttributes: [{ key: evil, value: evil }], nonIdentifyingAttributes: [],
  health: { healthy: false, lastError: evil, status: '' }, effectiveConfig: `a: ${evil}`, overlay: `</textarea>${evil}`,
  overlayHash: 'ab', remoteConfigStatus: { status: 'FAILED', hash: 'ab', errorMessage: evil },
};

describe('UI pages', () => {
  it('escape every agent-supplied text', () => {
    for (const html of [agentPage(view), agentListPage([view])]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('</textarea><');
    }
    expect(esc(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('carry the example server\'s form and labels', () => {
    const html = agentPage(view);
    expect(html).toContain('<form action="/save_config" method="post">');
    expect(html).toContain('name="instanceid" value="01020304-0506-0708-090a-0b0c0d0e0f10"');
    expect(html).toContain('name="config"');
    expect(html).toContain('Additional Configuration');
    expect(html).toContain('Save and Send to Agent');
    expect(html).toContain('Failed: &lt;script&gt;');
    expect(agentListPage([view])).toContain('href="agent?instanceid=01020304-0506-0708-090a-0b0c0d0e0f10"');
  });

  it('list connected agents; disconnected ones apart, folded away by default', () => {
    const old: ServerAgentView = { ...view, instanceUid: '0102030405060708090a0b0c0d0e0f11', connected: false };
    const live: ServerAgentView = { ...view, instanceUid: '0102030405060708090a0b0c0d0e0f12', firstSeen: '2026-01-01T00:01:00.000Z' };
    const html = agentListPage([old, live]);
    const [main, apart] = html.split('<details id="disconnected">');
    expect(main).toContain(live.instanceUid);
    expect(main).not.toContain(old.instanceUid);
    expect(apart).toContain('Disconnected agents (1)');
    expect(apart).toContain(old.instanceUid);
    expect(html).not.toMatch(/<details[^>]* open/);
    expect(agentListPage([live])).not.toContain('<details');
    expect(agentListPage([old])).toContain('No agent is connected');
  });

  it('say when no effective config was reported yet, and when the kept one was cut', () => {
    expect(agentPage({ ...view, effectiveConfig: '', effectiveConfigReported: false })).toContain('has not reported its effective configuration yet');
    const cut = agentPage({ ...view, effectiveConfigReported: true, effectiveConfigNote: 'The agent reported 1,048,576 bytes; the server keeps the first 131,072 bytes.' });
    expect(cut).toContain('Cut short: The agent reported 1,048,576 bytes');
    expect(cut).toContain('<pre><code class="language-yaml">a: &lt;script&gt;');
  });

  it('flag an agent that arrived with another live agent\'s instance_uid, and a store that cannot save', () => {
    const html = agentPage({ ...view, duplicateOf: '0102030405060708090a0b0c0d0e0f99' }, { storeProblem: 'cannot save overlays to /data/overlays.json: EACCES' });
    expect(html).toContain('Connected with instance ID 0102030405060708090a0b0c0d0e0f99, which another live connection was using');
    expect(html).toContain('Saved overlays are kept in memory only: cannot save overlays to /data/overlays.json: EACCES');
  });

  it('allow exactly their one stylesheet and nothing else in the CSP', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(agentListPage([]))![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(agentPage(view)).not.toMatch(/<script|style=/);
  });
});
