// Server-rendered pages for the guide's workflow: agent list, agent page with "Additional Configuration".
// Every interpolated value goes through esc(). The only style is one <style> block, allowed by its hash in
// the pages' Content-Security-Policy; there is no script at all.
import { createHash } from 'node:crypto';
import type { ServerAgentView } from '../../shared/serverApi';

export function esc(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{background:#1f3a5f;color:#fff;padding:14px 28px}header h1{margin:0;font-size:20px}
main{padding:20px 28px;max-width:1100px}a{color:#1f5fbf}
section{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:14px 18px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 10px}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:6px 10px;border-bottom:1px solid #eceff3;font-size:14px;vertical-align:top}
th,.k{color:#5a6473;font-weight:600;width:180px}pre{background:#0f1720;color:#e6edf3;padding:12px;border-radius:6px;overflow:auto;font-size:13px;max-height:420px}
textarea{width:100%;box-sizing:border-box;font-family:ui-monospace,Menlo,monospace;font-size:13px}
button{background:#1f5fbf;color:#fff;border:0;border-radius:6px;padding:8px 16px;font-size:14px;cursor:pointer;margin-top:8px}
summary{cursor:pointer;font-weight:600;font-size:15px}
.ok{color:#137333;font-weight:600}.bad{color:#c5221f;font-weight:600}.muted{color:#6b7280}
.note{background:#fff7e0;border:1px solid #f0d68a;border-radius:6px;padding:8px 12px}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eef1f5}`;

/** CSP of every page: nothing but this stylesheet; forms post only to this server; no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface PageContext {
  /** Why saved overlays are not being persisted, when they are not. */
  storeProblem?: string;
}

function page(body: string, ctx: PageContext): string {
  const problem = ctx.storeProblem ? `<p class="note">Saved overlays are kept in memory only: ${esc(ctx.storeProblem)}</p>` : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>OpAMP Server</title><style>${STYLE}</style></head>
<body><header><h1>OpAMP Server</h1></header><main>${problem}${body}</main></body></html>`;
}

function healthText(a: ServerAgentView): string {
  if (!a.health) return '<span class="muted">Unknown</span>';
  return a.health.healthy ? '<span class="ok">Up</span>' : '<span class="bad">Down</span>';
}

function agentTable(agents: ServerAgentView[]): string {
  const rows = agents.map((a) => `<tr><td><a href="agent?instanceid=${esc(a.instanceUid)}">${esc(a.instanceUid)}</a></td>
<td>${esc(a.serviceName ?? 'Unknown')}</td><td>${esc(a.hostName ?? '')}</td><td>${healthText(a)}</td><td>${esc(a.lastSeen)}</td></tr>`).join('\n');
  return `<table><tr><th>Instance ID</th><th>Name</th><th>Host</th><th>Health</th><th>Last seen</th></tr>${rows}</table>`;
}

/**
 * Connected agents only, as the example server lists them (it forgets an agent when its connection
 * closes), so the first row is a live agent even after rollouts. Agents that disconnected recently are
 * kept apart, folded away by default.
 */
export function agentListPage(agents: ServerAgentView[], ctx: PageContext = {}): string {
  const connected = agents.filter((a) => a.connected);
  const gone = agents.filter((a) => !a.connected);
  const live = connected.length
    ? agentTable(connected)
    : '<p class="muted">No agent is connected. Agents connect to /v1/opamp on the OpAMP port.</p>';
  const old = gone.length
    ? `<section><details id="disconnected"><summary>Disconnected agents (${gone.length})</summary>
<p class="muted">Agents whose connection closed (for example pods replaced by a rollout). They are forgotten after a while; overlays saved for their workload are kept and sent to its new agents.</p>
${agentTable(gone)}</details></section>`
    : '';
  return page(`<section><h2>Agents</h2>${live}</section>${old}`, ctx);
}

function effectiveConfigBlock(a: ServerAgentView): string {
  if (a.effectiveConfigReported === false) {
    return '<p class="muted" id="effective-config-missing">The agent has not reported its effective configuration yet.</p>';
  }
  const note = a.effectiveConfigNote ? `<p class="note">Cut short: ${esc(a.effectiveConfigNote)}</p>` : '';
  return `${note}<pre><code class="language-yaml">${esc(a.effectiveConfig)}</code></pre>`;
}

export function agentPage(a: ServerAgentView, ctx: PageContext = {}): string {
  const attrRows = [...a.identifyingAttributes, ...a.nonIdentifyingAttributes]
    .map((kv) => `<tr><td>${esc(kv.key)}</td><td>${esc(kv.value)}</td></tr>`).join('');
  const h = a.health;
  const healthRows = h
    ? `<tr><td class="k">Up:</td><td>${h.healthy}</td></tr>${h.lastError ? `<tr><td class="k"></td><td class="bad">${esc(h.lastError)}</td></tr>` : ''}${h.upSince ? `<tr><td class="k">Up since:</td><td>${esc(h.upSince)}</td></tr>` : ''}`
    : '';
  const rcs = a.remoteConfigStatus;
  const statusClass = rcs.status === 'APPLIED' ? 'ok' : rcs.status === 'FAILED' ? 'bad' : '';
  const failed = rcs.errorMessage ? `<p class="bad">Failed: ${esc(rcs.errorMessage)}</p>` : '';
  const inherited = a.overlaySource === 'group'
    ? `<p class="muted">Carried over from an earlier agent of ${esc(a.group)} (same workload, new instance ID).</p>` : '';
  const duplicate = a.duplicateOf
    ? `<tr><td class="k">Duplicate:</td><td class="bad">Connected with instance ID ${esc(a.duplicateOf)}, which another live connection was using; the server gave it this one instead.</td></tr>` : '';
  return page(`<p><a href="/">Back to Agents List</a></p>
<section><h2>Agent</h2><table>
<tr><td class="k">Instance ID:</td><td>${esc(a.instanceUid)}</td></tr>
<tr><td class="k">Connection:</td><td>${a.connected ? `connected (${esc(a.transport)})` : 'disconnected'}, last seen ${esc(a.lastSeen)}</td></tr>
${duplicate}${healthRows}
<tr><td class="k">Group:</td><td>${esc(a.group)}</td></tr>
</table></section>
<section><h2>Attributes</h2><table>${attrRows || '<tr><td class="muted">none reported</td></tr>'}</table></section>
<section><h2>Configuration</h2>
<p><strong>Current Effective Configuration:</strong></p>
${effectiveConfigBlock(a)}
<p><strong>Remote config status:</strong> <span class="pill ${statusClass}" id="remote-config-status">${esc(rcs.status)}</span>
${rcs.hash ? `<span class="muted">hash ${esc(rcs.hash.slice(0, 12))}…</span>` : ''}</p>
${failed}
<form action="/save_config" method="post">
<p><label for="config"><strong>Additional Configuration:</strong></label></p>
${inherited}
<input type="hidden" name="instanceid" value="${esc(a.instanceUid)}">
<textarea id="config" name="config" rows="20">${esc(a.overlay)}</textarea>
<button type="submit">Save and Send to Agent</button>
</form></section>`, ctx);
}
