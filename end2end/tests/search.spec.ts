import { test, expect, expectAccessible } from './fixtures';

test('instant search: a misspelled query, picked with the keyboard, lands on the highlighted section', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/cap-theorem');
  // The island sleeps until wanted; the shortcut focuses the box, which wakes it.
  const box = page.getByRole('combobox', { name: 'Search the handbook' });
  await expect(page.locator('leptos-island[data-component^="InstantSearch"]')).toBeAttached();
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.pressSequentially('circut breaker', { delay: 30 });
  const hits = page.locator('[data-test="instant-hit"]');
  await expect(hits.first()).toBeVisible();
  await expect(hits.first()).toContainText('Circuit breaker');
  await expect(page.locator('[data-test="search-status"]')).toHaveText(/\d+ results?/);
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await expectAccessible(page);

  await box.press('ArrowDown');
  await expect(hits.first()).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/patterns\/circuit-breaker\?highlight=breaker\+circuit/);
  await expect(page.locator('mark.search-highlight').first()).toBeVisible();
  await expect(page.locator('mark.search-highlight', { hasText: /^circuit$/i }).first()).toBeVisible();
});

test('what is typed before the search box has woken is searched once it has', async ({ page, consoleErrors }) => {
  await page.goto('/patterns/cap-theorem');
  const island = page.locator('leptos-island[data-component^="InstantSearch"]');
  await expect(island).not.toHaveAttribute('data-hydration', /./);
  // `fill` focuses the box and sets the whole text at once, before any WASM has arrived.
  await page.getByRole('combobox', { name: 'Search the handbook' }).fill('idempotency');
  await expect(island).toHaveAttribute('data-hydration', 'done');
  await expect(page.locator('[data-test="instant-hit"]').first()).toContainText('Idempotency');
  await expect(page.locator('#site-search-results ul')).toHaveAttribute('data-query', 'idempotency');
});

test('Escape closes the results and Ctrl-K focuses the box', async ({ page, consoleErrors }) => {
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('Control+k');
  const box = page.getByRole('combobox', { name: 'Search the handbook' });
  await expect(box).toBeFocused();
  await box.pressSequentially('idempot', { delay: 30 });
  await expect(page.locator('[data-test="instant-hit"]').first()).toContainText('Idempotency');
  await box.press('Escape');
  await expect(page.locator('#site-search-results')).toBeHidden();
  // Awake now, the island itself answers the shortcut.
  await expect(page.locator('leptos-island[data-component^="InstantSearch"]')).toHaveAttribute('data-hydration', 'done');
  await box.blur();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
});

test('the search page works with JavaScript disabled', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/search');
  await page.getByLabel('Search the handbook').last().fill('thundring herd');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=thundring\+herd/);
  const first = page.locator('[data-test="search-hit"]').first();
  await expect(first).toContainText('Thundering herd');
  await expect(first.locator('mark').first()).toBeVisible();
  await context.close();
});

test('the search page is accessible and suggests when nothing matches', async ({ page, consoleErrors }) => {
  await page.goto('/search?q=shardnig');
  await expectAccessible(page);
  await page.goto('/search?q=qqqzzz');
  await expect(page.getByText('No pages match')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Caching' })).toBeVisible();
  await expectAccessible(page);
});
