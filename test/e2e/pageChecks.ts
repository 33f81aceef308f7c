// Checks the dashboard e2e tests run on whatever the page shows: axe-core
// (WCAG 2 A/AA; serious and critical findings fail), no "[object Object]" in
// the page text, and no status text cut off by its box.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

type AxeNode = { target: unknown[]; failureSummary?: string };
type AxeViolation = { id: string; impact?: string | null; help: string; nodes: AxeNode[] };
type AxeGlobals = { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
type TextGlobals = { document: { body: { innerText: string } } };
type BoxElement = { scrollWidth: number; clientWidth: number; textContent: string | null; className: string; getClientRects(): ArrayLike<unknown> };
type BoxGlobals = { document: { querySelectorAll(s: string): ArrayLike<BoxElement> } };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on a page of its own: the app's CSP (rightly) refuses injected scripts, so this
 * context bypasses CSP for the checker only. `views` bring the page to each state to check
 * and name it; findings come back prefixed with that name.
 */
export async function axeViolations(browser: Browser, url: string, views: ((page: Page) => Promise<string>)[]): Promise<string[]> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.addScriptTag({ content: axeSource });
    const found: string[] = [];
    for (const view of views) {
      const name = await view(page);
      const { violations } = await page.evaluate(() => {
        const g = globalThis as unknown as AxeGlobals;
        return g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      });
      for (const v of violations) {
        if (v.impact !== 'serious' && v.impact !== 'critical') continue;
        found.push(`${name}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
      }
    }
    return found;
  } finally {
    await context.close();
  }
}

/** Lines of the page text that show a raw object instead of its words. */
export async function objectObjectText(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => (globalThis as unknown as TextGlobals).document.body.innerText);
  return text.split('\n').filter((l) => l.includes('[object Object]') || l.includes('[object '));
}

/** Status texts whose box cuts them off (text wider than the box, as an ellipsis would hide it). */
export async function truncatedStatusText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const els = Array.from((globalThis as unknown as BoxGlobals).document.querySelectorAll('[role=status], [role=alert], .conn, .rollout-msg, .since, .toast, .crit summary, .pod-line, .bar-notice, .proc .muted, .argv, .evidence li'));
    return els.filter((el) => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth + 1).map((el) => `${el.className}: ${(el.textContent ?? '').slice(0, 120)}`);
  });
}
