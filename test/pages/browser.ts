/**
 * Headless Chromium for the page tests: Debian's `chromium` driven by playwright-core (no browser download).
 * Tests that need it skip with a message only where /usr/bin/chromium is absent; `.ci/run` installs it.
 */
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function noBrowser(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** lang, one h1, every form control labelled, every table header scoped, landmarks, text contrast. */
export async function assertAccessible(page: Page): Promise<void> {
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
    nav: document.querySelectorAll('nav[aria-label]').length,
    unlabelled: [...document.querySelectorAll('input, select, textarea')].filter((e) => (e as HTMLInputElement).labels?.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id || e.outerHTML),
    unscoped: [...document.querySelectorAll('th')].filter((th) => !th.getAttribute('scope')).length,
  }));
  assert.equal(facts.lang, 'en');
  assert.equal(facts.h1, 1, 'one h1');
  assert.equal(facts.main, 1, 'a main landmark');
  assert.equal(facts.nav, 1, 'a labelled navigation');
  assert.deepEqual(facts.unlabelled, [], 'every form control has a label');
  assert.equal(facts.unscoped, 0, 'every th has a scope');
  // WCAG AA: text at 4.5:1 or more against the background it is drawn on (the first opaque one up the tree).
  const low = await page.evaluate(() => {
    const rgb = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]): number => {
      const lin = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    const background = (e: Element | null): number[] => {
      for (let at = e; at !== null; at = at.parentElement) {
        const c = rgb(getComputedStyle(at).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out: string[] = [];
    for (const e of document.querySelectorAll('body *')) {
      const own = [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!own || (e as HTMLElement).offsetParent === null) continue;
      const fg = luminance(rgb(getComputedStyle(e).color));
      const bg = luminance(background(e));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) out.push(`${e.tagName.toLowerCase()}.${e.className}: ${ratio.toFixed(2)}`);
    }
    return out;
  });
  assert.deepEqual(low, [], 'text contrast of at least 4.5:1');
}
