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

/** lang, one h1, every form control labelled, every table header scoped, landmarks. */
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
}
