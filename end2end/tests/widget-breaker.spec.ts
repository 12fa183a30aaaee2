// The circuit-breaker widget, driven as a reader would: break the downstream, watch the
// breaker open, heal it, and watch it probe and close after the open timeout.
import { test, expect, expectAccessible } from './fixtures';
import type { Page } from '@playwright/test';

const page_url = '/patterns/circuit-breaker';

function widget(page: Page) {
  return page.locator('[data-widget="circuit-breaker"]');
}

/** Scrolls to the widget (it wakes as it nears the viewport) and waits until it is live. */
async function hydrated(page: Page) {
  await widget(page).scrollIntoViewIfNeeded();
  await expect(widget(page).locator('[data-test="circuit-breaker"]')).toHaveAttribute('data-live', 'true');
}

async function setKnob(page: Page, label: string, value: string) {
  const field = widget(page).getByLabel(label);
  await field.fill(value);
  await field.press('Enter');
  await field.blur();
}

test('breaking the downstream opens the breaker; healing lets it recover after the timeout', async ({ page, consoleErrors }, testInfo) => {
  await page.goto(page_url);
  await hydrated(page);
  const box = widget(page);
  // Laid out on a desktop screen too (its rules once sat inside a phone-only media block).
  await expect(box.locator('[data-test="circuit-breaker"]')).toHaveCSS('display', 'grid');
  const state = box.locator('[data-test="breaker-state"] strong');
  const log = box.getByRole('list', { name: /transitions/i });
  await expect(state).toHaveText('closed');
  // It plays on its own: the simulated clock moves.
  await expect(box.locator('[data-test="breaker-clock"]')).not.toHaveText('t = 0.0 s');

  // A short open timeout and a faster clock keep the test quick.
  await setKnob(page, 'Open timeout', '2');
  await box.getByLabel('Speed').selectOption({ label: '5×' });

  await box.getByRole('button', { name: 'Break the downstream' }).click();
  await expect(box.locator('[data-test="downstream-state"]')).toContainText('broken');
  await expect(log).toContainText('closed → open: 5 failures in a row');
  await expect(box.locator('[data-node="open"]')).toHaveClass(/current/);
  await expect(box.locator('[data-transition="closed-open"]')).toHaveClass(/lit/);
  // Still broken: the single trial fails and re-opens the breaker at once.
  await expect(log).toContainText('half-open → open: the trial call failed');
  await expect(box.getByRole('status')).toContainText('breaker');
  const counters = box.locator('[data-test="breaker-counters"]');
  const counter = (name: RegExp) => counters.locator('div', { has: page.locator('dt', { hasText: name }) }).locator('dd');
  await expect(counter(/^Calls spared/)).not.toHaveText('0');
  await expect(counter(/^Waiting saved/)).not.toHaveText('0 ms');
  await expectAccessible(page);

  await box.getByRole('button', { name: 'Heal the downstream' }).click();
  await expect(box.locator('[data-test="downstream-state"]')).toContainText('healthy');
  await expect(log).toContainText('half-open → closed: 2 trial calls succeeded', { timeout: 15_000 });
  await expect(state).toHaveText('closed');
  await expect(box.locator('[data-transition="half-open-closed"]')).toHaveClass(/lit/);

  await box.screenshot({ path: testInfo.outputPath('breaker.png') });
  await testInfo.attach('breaker', { path: testInfo.outputPath('breaker.png'), contentType: 'image/png' });
});

test('with reduced motion it waits, steps on demand, and works from the keyboard', async ({ page, consoleErrors }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(page_url);
  await hydrated(page);
  const box = widget(page);
  const clock = box.locator('[data-test="breaker-clock"]');
  await expect(box.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(clock).toHaveText('t = 0.0 s');

  // Keyboard only: Step advances one timeline bar.
  await box.getByRole('button', { name: 'Step' }).focus();
  await page.keyboard.press('Enter');
  await expect(clock).toHaveText('t = 0.5 s');
  await expect(box.locator('[data-test="breaker-counters"]')).toContainText('Requests');

  // Breaking moves focus to the button that undoes it.
  await box.getByRole('button', { name: 'Break the downstream' }).focus();
  await page.keyboard.press('Enter');
  await expect(box.getByRole('button', { name: 'Heal the downstream' })).toBeFocused();
  await expect(box.getByRole('button', { name: 'Break the downstream' })).toBeDisabled();
  for (let i = 0; i < 3; i++) await box.getByRole('button', { name: 'Step' }).click();
  await expect(box.locator('[data-test="breaker-state"] strong')).toHaveText('open');

  // A value out of range is clamped to the limit the field shows.
  await setKnob(page, 'Failure threshold', '5000');
  await expect(box.getByLabel('Failure threshold')).toHaveValue('1000');

  // No transitions run while motion is reduced.
  const transition = await box.locator('.cb-node rect').first().evaluate((el) => getComputedStyle(el).transitionDuration);
  expect(transition).toBe('0s');
});

test('dark theme and a phone-sized screen stay readable', async ({ page, consoleErrors }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(page_url);
  await hydrated(page);
  const box = widget(page);
  await box.scrollIntoViewIfNeeded();
  const overflow = await box.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(box.getByRole('img', { name: /state machine/i })).toBeVisible();
  await expectAccessible(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the server renders the first state', async ({ page, consoleErrors }) => {
    await page.goto(page_url);
    const box = widget(page);
    await expect(box.locator('[data-test="breaker-state"] strong')).toHaveText('closed');
    await expect(box.getByRole('img', { name: /state machine.*now closed/i })).toBeVisible();
    await expect(box.getByLabel('Failure threshold')).toHaveValue('5');
    await expect(box.getByLabel('Open timeout')).toHaveValue('10');
    await expect(box.getByRole('list', { name: /transitions/i })).toContainText('None yet');
    await expect(box.locator('[data-transition="closed-open"] text')).toHaveText('5 failures');
  });
});
