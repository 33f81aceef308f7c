// The guide's Step 9 in a real browser: open the agent, type into "Additional Configuration", press
// "Save and Send to Agent"; the agent receives the text and the page shows it applied.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startLabServer, type LabServer } from '../../lab/server/index';
import { SimpleAgent } from '../../lab/opamp-client/simpleAgent';
import { bytesToUuid } from '../../shared/opamp/index';
import { eventually } from '../conformance/eventually';
import { artifactPath, launchChromium } from './browser';

let server: LabServer;
let agent: SimpleAgent;
let browser: Browser;

beforeAll(async () => {
  server = await startLabServer({ opampPort: 0, uiPort: 0, restPort: false });
  agent = new SimpleAgent({
    endpoint: server.opampUrl,
    hostName: 'otel-agent-7d4b9c8f6-abcde',
    baseConfig: 'receivers:\n  otlp:\n    protocols:\n      grpc: {}\n',
    validate: (body) => (body.includes('\t') ? 'yaml: found a tab character that violates indentation' : undefined),
  }).start();
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await server?.close();
});

it('saves the Additional Configuration, the agent applies it and the page says so', async () => {
  const uid = bytesToUuid(agent.client.instanceUid);
  await eventually('agent registered', () => server.registry.agents.get(uid));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The pages' CSP allows their one stylesheet by hash and nothing else: Chromium reports any violation.
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(server.uiUrl);
  // The function runs in the page, so it carries its own view of the page's globals.
  expect(await page.locator('header').evaluate((el) =>
    (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).toBe('rgb(31, 58, 95)');
  await page.getByRole('link', { name: uid }).click();
  await expect.poll(() => page.url()).toContain(`/agent?instanceid=${uid}`);
  expect(await page.textContent('body')).toContain('otlp');

  const overlay = 'exporters:\n  debug:\n    verbosity: detailed\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n';
  await page.getByLabel('Additional Configuration').fill(overlay);
  await page.getByRole('button', { name: 'Save and Send to Agent' }).click();
  await page.waitForURL(`**/agent?instanceid=${uid}`);
  // Browsers send textarea text with CRLF line breaks; the server passes it on unchanged.
  expect(agent.applied.replace(/\r\n/g, '\n')).toBe(overlay);
  await page.reload();
  expect(await page.textContent('#remote-config-status')).toBe('APPLIED');
  expect(await page.textContent('pre')).toContain('verbosity: detailed');
  expect(await page.inputValue('textarea')).toBe(overlay);
  await page.screenshot({ path: await artifactPath('serverUi-applied.png'), fullPage: true });

  await page.getByLabel('Additional Configuration').fill('exporters:\n\tdebug: {}\n');
  await page.getByRole('button', { name: 'Save and Send to Agent' }).click();
  await page.waitForURL(`**/agent?instanceid=${uid}`);
  expect(await page.textContent('body')).toContain('Failed: yaml: found a tab character that violates indentation');
  expect(await page.textContent('#remote-config-status')).toBe('FAILED');

  // An agent of a replaced pod is listed apart, folded away; the live one stays the first row.
  const gone = new SimpleAgent({ endpoint: server.opampUrl, hostName: 'otel-agent-6a8b7c9d5-zzzzz' }).start();
  const goneUid = bytesToUuid(gone.client.instanceUid);
  await eventually('old pod registered', () => server.registry.agents.get(goneUid)?.status.agentDescription);
  await gone.stop();
  await eventually('old pod disconnected', () => server.registry.agents.get(goneUid)?.connected === false);
  await page.goto(server.uiUrl);
  expect(await page.locator('a[href^="agent?instanceid="]').first().textContent()).toBe(uid);
  expect(await page.getByRole('link', { name: goneUid }).isVisible()).toBe(false);
  await page.screenshot({ path: await artifactPath('serverUi-list.png') });
  await page.getByText('Disconnected agents (1)').click();
  expect(await page.getByRole('link', { name: goneUid }).isVisible()).toBe(true);
  expect(violations).toEqual([]);

  // Like the example server: an unknown agent is a 404 with an empty body.
  expect((await fetch(`${server.uiUrl}/agent?instanceid=00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  expect((await fetch(`${server.uiUrl}/agent?instanceid=nope`)).status).toBe(404);
}, 60_000);
