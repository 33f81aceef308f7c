// The Node-side tsconfig has no DOM lib, and the renderer's CSP has no
// 'unsafe-eval', so page checks cannot be strings (Playwright evals those in the
// page and the CSP refuses them). Functions handed to page.waitForFunction /
// page.evaluate reach the page through globalThis cast to these few shapes.
// Types only: nothing from this file is sent to the page.
export type PageElement = { id: string; textContent: string | null; getAttribute(name: string): string | null };

export type PageDocument = {
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};

export type PageGlobals = { document: PageDocument };
