// The back-of-the-envelope calculator, driven as a reader would: by label, keyboard and links.
import { test, expect, expectAccessible } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const PAGE = '/patterns/back-of-the-envelope';

function calculators(page: Page): Locator {
  return page.locator('figure[data-widget="estimate"]');
}

function value(widget: Locator, key: string): Locator {
  return widget.locator(`tr[data-test="${key}"] td`).first();
}

function formula(widget: Locator, key: string): Locator {
  return widget.locator(`tr[data-test="${key}"] td.estimate-formula`);
}

/**
 * Scrolls to the calculator (it wakes as it nears the viewport); the share link appears
 * once the island has hydrated and numbered itself.
 */
async function hydrated(widget: Locator) {
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.getByRole('link', { name: 'Link to these numbers' })).toBeVisible();
}

test('changing an input changes the outputs, the formula and the URL', async ({ page, consoleErrors }, testInfo) => {
  await page.goto(PAGE);
  const first = calculators(page).nth(0);
  await expect(calculators(page)).toHaveCount(3);
  await hydrated(first);
  // Laid out on a desktop screen too (its rules once sat inside a phone-only media block).
  await expect(first.locator('.estimate')).toHaveCSS('display', 'grid');

  // The Twitter preset: 500M posts/day, as the prose works out by hand.
  await expect(first.getByLabel('Start from')).toHaveValue('twitter');
  await expect(value(first, 'write-average')).toHaveText('5.8K/s');
  await expect(value(first, 'write-peak')).toHaveText('17.4K/s');
  await expect(value(first, 'storage-total')).toHaveText('701 TB');
  await expect(value(first, 'postgres-writes')).toHaveText('2');
  await expect(first.locator('tr[data-test="write-average"] td span')).toHaveAttribute('title', '5,787.04 writes/s');
  await expect(formula(first, 'write-average')).toHaveText('200M users × 2.5 writes/user/day = 500M/day ÷ 86,400 s');
  await expectAccessible(page);

  const entries = await page.evaluate(() => history.length);
  const peak = first.getByLabel('Peak-to-average factor');
  await peak.fill('6');
  await expect(value(first, 'write-peak')).toHaveText('34.7K/s');
  await expect(formula(first, 'write-peak')).toHaveText('5.8K/s × 6 peak');
  await expect(value(first, 'postgres-writes')).toHaveText('4');
  // Custom numbers no longer match a preset.
  await expect(first.getByLabel('Start from')).toHaveValue('');
  await expect(first.locator('[data-test="estimate-status"]')).toContainText('Peak 34.7K writes/s');

  // The state is in the address bar for this calculator only, without new history entries.
  await expect(page).toHaveURL(/[?&]est1\.peak=6(&|$)/);
  expect(page.url()).not.toContain('est2.');
  expect(await page.evaluate(() => history.length)).toBe(entries);

  // The other calculators did not move.
  await expect(value(calculators(page).nth(1), 'write-peak')).toHaveText('17.4K/s');

  // Units: the object size in KB, rates per day.
  await first.getByLabel('Object size unit').selectOption('KB');
  await expect(value(first, 'storage-day')).toHaveText('128 TB');
  await first.getByLabel('Show rates per').selectOption('day');
  await expect(value(first, 'write-average')).toHaveText('500M/day');
  await expect(page).toHaveURL(/est1\.size=256KB/);
  await expect(page).toHaveURL(/est1\.per=day/);

  await page.screenshot({ path: testInfo.outputPath('estimate.png'), fullPage: false });
  await testInfo.attach('estimate', { path: testInfo.outputPath('estimate.png'), contentType: 'image/png' });

  // Reset brings back the page's numbers and drops the state from the URL.
  await first.getByRole('button', { name: "Reset to the page's numbers" }).click();
  await expect(peak).toHaveValue('3');
  await expect(value(first, 'write-average')).toHaveText('5.8K/s');
  expect(page.url()).not.toContain('est1.');
});

test('a shared link sets only the calculator it names', async ({ page, consoleErrors }) => {
  await page.goto(`${PAGE}?est2.peak=10&est2.users=400M#estimate-2`);
  const [first, second, third] = [0, 1, 2].map((index) => calculators(page).nth(index));
  await hydrated(second);

  await expect(second.getByLabel('Peak-to-average factor')).toHaveValue('10');
  await expect(second.getByLabel('Daily active users', { exact: true })).toHaveValue('400');
  await expect(value(second, 'write-average')).toHaveText('11.6K/s');
  await expect(value(second, 'write-peak')).toHaveText('116K/s');
  await expect(second).toBeInViewport();

  await expect(first.getByLabel('Peak-to-average factor')).toHaveValue('3');
  await expect(third.getByLabel('Peak-to-average factor')).toHaveValue('2');
  await expect(value(third, 'write-average')).toHaveText('1.2K/s');

  // The share link of the second calculator carries its whole state and its anchor.
  const link = second.getByRole('link', { name: 'Link to these numbers' });
  await expect(link).toHaveAttribute('href', /^\?est2\.users=400M&.*est2\.peak=10&.*#estimate-2$/);
  // Garbage in the URL is ignored, not fatal.
  await page.goto(`${PAGE}?est1.peak=oops&est1.users=%zz&est3.size=9TB9`);
  await hydrated(calculators(page).nth(0));
  await expect(calculators(page).nth(0).getByLabel('Peak-to-average factor')).toHaveValue('3');
});

test('presets, invalid text and the keyboard', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/url-shortener');
  const widget = calculators(page).first();
  await hydrated(widget);
  await expect(widget.getByLabel('Start from')).toHaveValue('url-shortener');
  await expect(value(widget, 'read-average')).toHaveText('116K/s');

  // Keyboard only: tab into the preset menu and pick Instagram from the reference.
  await widget.getByLabel('Start from').focus();
  await expect(widget.getByLabel('Start from')).toBeFocused();
  await widget.getByLabel('Start from').selectOption('instagram');
  await expect(value(widget, 'storage-day')).toHaveText('30 TB');
  await expect(value(widget, 'kafka')).toHaveText('7');
  await expect(widget.getByLabel('Object size', { exact: true })).toHaveValue('300');
  await expect(widget.getByLabel('Object size unit')).toHaveValue('KB');

  await page.keyboard.press('Tab');
  await expect(widget.getByRole('button', { name: "Reset to the page's numbers" })).toBeFocused();
  await page.keyboard.press('Tab');
  const users = widget.getByLabel('Daily active users', { exact: true });
  await expect(users).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  // 1000 million users × 0.2 photos = 200M/day ÷ 86,400 s = 2,315/s.
  await page.keyboard.type('1000');
  await expect(value(widget, 'write-average')).toHaveText('2.3K/s');
  const outline = await users.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe('none');

  // A value out of range is explained and does not change the results.
  const replicas = widget.getByLabel('Replication factor');
  await replicas.fill('0');
  await expect(replicas).toHaveAttribute('aria-invalid', 'true');
  await expect(replicas).toHaveAccessibleDescription('Replication factor must be a whole number from 1 to 100');
  await expect(formula(widget, 'storage-total')).toContainText('× 3 replicas');
  await replicas.fill('5');
  await expect(replicas).not.toHaveAttribute('aria-invalid', 'true');
  await expect(formula(widget, 'storage-total')).toContainText('× 5 replicas');
  await expectAccessible(page);
});

test('readable in the dark theme, with reduced motion, on a phone', async ({ page, consoleErrors }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(PAGE);
  const first = calculators(page).first();
  await hydrated(first);
  await expectAccessible(page);
  // Nothing pushes the page sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(formula(first, 'write-peak')).toBeVisible();
  await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('estimate-phone-dark.png'), fullPage: false });
  await testInfo.attach('estimate-phone-dark', { path: testInfo.outputPath('estimate-phone-dark.png'), contentType: 'image/png' });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server renders the inputs and every output', async ({ page, consoleErrors }) => {
    await page.goto(`${PAGE}?est1.peak=9`);
    const first = calculators(page).first();
    // The URL is read only after hydration: without WASM the author's numbers show.
    await expect(first.getByLabel('Peak-to-average factor')).toHaveValue('3');
    await expect(first.getByLabel('Daily active users', { exact: true })).toHaveValue('200');
    await expect(first.getByLabel('Daily active users unit')).toHaveValue('M');
    await expect(first.getByLabel('Start from')).toHaveValue('twitter');
    await expect(first.locator('tbody tr[data-test]')).toHaveCount(16);
    await expect(value(first, 'read-peak')).toHaveText('2.1M/s');
    await expect(value(first, 'egress-average')).toHaveText('178 MB/s');
    await expect(value(first, 'redis')).toHaveText('3');
    const third = calculators(page).nth(2);
    await expect(value(third, 'storage-day')).toHaveText('30 TB');
    await expect(first.getByRole('link', { name: 'Link to these numbers' })).toBeHidden();
  });
});
