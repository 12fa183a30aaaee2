// The cache-pattern visualizer, driven as a reader would: buttons, checkboxes and the keyboard.
import { test, expect, expectAccessible } from './fixtures';
import type { Locator, Page } from '@playwright/test';

function widgets(page: Page) {
  return page.locator('figure[data-widget="cache-visualizer"]');
}

/** The tick shown in the figures table's caption. */
async function tickOf(widget: Locator): Promise<number> {
  const caption = await widget.getByRole('table').locator('caption').innerText();
  return Number(caption.replace(/\D+/g, ''));
}

/** Number in a figures-table cell ("1234" or "56%"). */
async function figure(widget: Locator, id: string): Promise<number> {
  return Number((await widget.locator(`[data-test="figure-${id}"]`).innerText()).replace(/[^\d]/g, ''));
}

/** Peak of a chart over its window, as its accessible name states it. */
async function chartPeak(widget: Locator, title: string): Promise<number> {
  const label = await widget.getByRole('img', { name: new RegExp(`^${title}:`) }).getAttribute('aria-label');
  const match = /peak (\d+)/.exec(label ?? '');
  expect(match, label ?? '').not.toBeNull();
  return Number(match![1]);
}

/** Waits for hydration: Step only works once the island is live. */
async function stepUntilLive(widget: Locator) {
  const before = await tickOf(widget);
  await expect(async () => {
    await widget.getByRole('button', { name: 'Step' }).click();
    expect(await tickOf(widget)).toBeGreaterThan(before);
  }).toPass({ timeout: 15_000 });
}

test('the herd spikes database load, and the rebuild lock flattens it', async ({ page, consoleErrors }, testInfo) => {
  await page.goto('/patterns/thundering-herd');
  const [unlocked, locked] = [widgets(page).nth(0), widgets(page).nth(1)];
  // Rendered by the server: the page's scenario already ran, charts and table filled in.
  await expect(unlocked.locator('[data-test="summary"]')).toContainText('Tick 90');
  const herdPeak = await chartPeak(unlocked, 'Database load');
  const lockedPeak = await chartPeak(locked, 'Database load');
  expect(herdPeak).toBeGreaterThan(3 * lockedPeak);
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('thundering-herd.png'), fullPage: true });

  // Live: a quiet tick, then the trigger, then the spike.
  await stepUntilLive(unlocked);
  const quiet = await figure(unlocked, 'db-queries');
  const trigger = unlocked.getByRole('button', { name: 'Expire every key now' });
  await trigger.click();
  await expect(unlocked.locator('[data-test="announcement"]')).toContainText('takes effect on the next tick');
  await unlocked.getByRole('button', { name: 'Step' }).click();
  await expect(unlocked.locator('[data-test="summary"]')).toContainText('every entry expired at once');
  const spike = await figure(unlocked, 'db-queries');
  expect(spike).toBeGreaterThan(3 * Math.max(quiet, 1));
  // Only loads already in flight before the expiry still land in this tick.
  expect(await figure(unlocked, 'hit-ratio')).toBeLessThan(20);

  // The same run with the lock: the replay's spike is far lower.
  await unlocked.getByText('Settings').click();
  await unlocked.getByRole('checkbox', { name: 'Rebuild lock' }).check();
  await expect(unlocked.locator('[data-test="announcement"]')).toContainText('replayed from the start');
  expect(await chartPeak(unlocked, 'Database load')).toBeLessThan(herdPeak / 3);
  await expectAccessible(page);
});

test('a seed replays identically; play and pause work from the keyboard', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/cache-aside');
  const widget = widgets(page).first();
  await stepUntilLive(widget);
  const reset = widget.getByRole('button', { name: 'Reset' });
  await reset.click();
  await expect(widget.locator('[data-test="summary"]')).toContainText('Tick 90');
  for (let i = 0; i < 3; i++) await widget.getByRole('button', { name: 'Step' }).click();
  const first = await widget.locator('[data-test="summary"]').innerText();
  await reset.click();
  for (let i = 0; i < 3; i++) await widget.getByRole('button', { name: 'Step' }).click();
  expect(await widget.locator('[data-test="summary"]').innerText()).toBe(first);
  await expect(widget.locator('[data-test="announcement"]')).toHaveText(first);

  // Keyboard: Shift+Tab from Step reaches Play, Space plays, Enter pauses.
  const play = widget.getByRole('button', { name: 'Play' });
  await widget.getByRole('button', { name: 'Step' }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(play).toBeFocused();
  const outline = await play.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  const before = await tickOf(widget);
  await page.keyboard.press('Space');
  const pause = widget.getByRole('button', { name: 'Pause' });
  await expect(pause).toBeVisible();
  await expect.poll(() => tickOf(widget)).toBeGreaterThan(before + 1);
  await pause.focus();
  await page.keyboard.press('Enter');
  await expect(widget.getByRole('button', { name: 'Play' })).toBeVisible();
  const stopped = await tickOf(widget);
  await page.waitForTimeout(600);
  expect(await tickOf(widget)).toBe(stopped);
});

test('negative caching keeps missing keys away from the database', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/cache-penetration');
  const [without, withNegative] = [widgets(page).nth(0), widgets(page).nth(1)];
  // Over the whole run (the attack included), the unprotected copy sent far more queries.
  const wholeRun = async (widget: Locator) =>
    Number((await widget.getByRole('row', { name: /Database queries/ }).getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
  expect(await wholeRun(without)).toBeGreaterThan(1.2 * (await wholeRun(withNegative)));
  // Trigger a fresh attack on the unprotected copy: missing-key reads go straight through.
  await stepUntilLive(without);
  await without.getByRole('button', { name: 'Send requests for missing keys' }).click();
  await without.getByRole('button', { name: 'Step' }).click();
  await without.getByRole('button', { name: 'Step' }).click();
  expect(await figure(without, 'missing-reads')).toBeGreaterThan(0);
  await expectAccessible(page);
});

test('a write-behind restart loses the unflushed writes', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/write-behind');
  const widget = widgets(page).first();
  // The page's scenario already restarted the cache between flushes.
  expect(await chartPeak(widget, 'Lost writes')).toBeGreaterThan(0);
  await stepUntilLive(widget);
  await widget.getByRole('button', { name: 'Step' }).click(); // a few ticks after a flush
  await widget.getByRole('button', { name: 'Restart the cache node' }).click();
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect(widget.locator('[data-test="summary"]')).toContainText('the cache node restarted empty');
  expect(await figure(widget, 'lost-writes')).toBeGreaterThan(0);
  // Write-through on the same stream never loses a write.
  await widget.getByText('Settings').click();
  await widget.getByLabel('Pattern').selectOption('write-through');
  await expect(widget.locator('[data-test="announcement"]')).toContainText('replayed from the start');
  expect(await chartPeak(widget, 'Lost writes')).toBe(0);
  expect(await chartPeak(widget, 'Stale reads')).toBe(0);
});

test('reduced motion: no flow animation, stepping still works', async ({ page, consoleErrors }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/patterns/cache-stampede');
  const widget = widgets(page).first();
  await stepUntilLive(widget);
  await widget.getByRole('button', { name: 'Play' }).click();
  const flow = widget.locator('.cv-flow').first();
  expect(await flow.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  await widget.getByRole('button', { name: 'Pause' }).click();
  const tick = await tickOf(widget);
  await widget.getByRole('button', { name: 'Step' }).click();
  expect(await tickOf(widget)).toBe(tick + 1);

  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await widget.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => flow.evaluate((el) => getComputedStyle(el).animationName)).toBe('cv-flow');
  await widget.getByRole('button', { name: 'Pause' }).click();
});

test('fits a phone screen in both themes', async ({ page, consoleErrors }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/patterns/write-through');
    const widget = widgets(page).first();
    await widget.getByText('Settings').click();
    const overflow = await widget.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(pageOverflow).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await widget.screenshot({ path: testInfo.outputPath(`phone-${scheme}.png`) });
  }
});
