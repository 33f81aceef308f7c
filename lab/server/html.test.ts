import { describe, expect, it } from 'vitest';
import type { ServerAgentView } from '../../shared/serverApi';
import { agentListPage, agentPage, esc } from './html';

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

  it('list connected agents before disconnected ones (the old pod after a restart)', () => {
    const old: ServerAgentView = { ...view, instanceUid: '0102030405060708090a0b0c0d0e0f11', connected: false };
    const live: ServerAgentView = { ...view, instanceUid: '0102030405060708090a0b0c0d0e0f12', firstSeen: '2026-01-01T00:01:00.000Z' };
    const html = agentListPage([old, live]);
    expect(/instanceid=([0-9a-f-]+)/.exec(html)?.[1]).toBe(live.instanceUid);
    expect(html).toContain(old.instanceUid);
  });
});
