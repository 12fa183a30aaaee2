import { test, expect, expectAccessible } from './fixtures';

test('a reader goes from home to a pattern page by clicking', async ({ page, consoleErrors }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Cairn' })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('home.png'), fullPage: true });
  await testInfo.attach('home', { path: testInfo.outputPath('home.png'), contentType: 'image/png' });

  await page.getByRole('link', { name: 'Caching', exact: true }).first().click();
  await expect(page).toHaveURL(/\/categories\/caching$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Caching' })).toBeVisible();
  await expectAccessible(page);

  await page.locator('main').getByRole('link', { name: 'Cache-aside', exact: true }).first().click();
  await expect(page).toHaveURL(/\/patterns\/cache-aside$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Cache-aside' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('Caching');
  await expect(page.getByRole('heading', { name: 'On this page' })).toBeVisible();
  await expect(page.locator('figure.diagram svg').first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('pattern.png'), fullPage: true });
  await testInfo.attach('pattern', { path: testInfo.outputPath('pattern.png'), contentType: 'image/png' });

  // The table of contents jumps to its section.
  await page.getByRole('navigation', { name: 'On this page' }).getByRole('link', { name: 'Trade-offs' }).click();
  await expect(page).toHaveURL(/#trade-offs$/);
});

test('the theme toggle switches, remembers, and does not flash on reload', async ({ page, consoleErrors }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/patterns/circuit-breaker');
  const toggle = page.getByRole('button', { name: /switch between light and dark theme/i });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBackground).not.toEqual(lightBackground);
  await expectAccessible(page);

  // On reload the theme is set before first paint: check it at the earliest point a
  // script can observe the document, before the deferred toggle script has run.
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      if (document.readyState === 'interactive') {
        (window as unknown as { firstTheme: string }).firstTheme = getComputedStyle(document.body).backgroundColor;
      }
    }, { once: true });
  });
  await page.reload();
  const firstTheme = await page.evaluate(() => (window as unknown as { firstTheme: string }).firstTheme);
  expect(firstTheme).toEqual(darkBackground);

  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the operating system dark preference applies without any choice stored', async ({ page, consoleErrors }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toEqual('rgb(20, 24, 27)');
  await expectAccessible(page);
});

test('pages are complete without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/patterns/cap-theorem');
  await expect(page.getByRole('heading', { level: 1, name: 'CAP theorem' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Check yourself' })).toBeVisible();
  await expect(page.getByRole('button', { name: /theme/i })).toBeHidden();
  await context.close();
});

test('a page fetches its WASM only when an island is wanted', async ({ page, consoleErrors }) => {
  const fetched: { url: string; status: number }[] = [];
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) fetched.push({ url: response.url(), status: response.status() });
  });
  await page.goto('/patterns/back-of-the-envelope');
  await page.waitForLoadState('networkidle');
  // The calculators start below the first screen, and the search box has not been used.
  expect(fetched).toEqual([]);

  // Scrolling a calculator near brings it to life: the islands' WASM and its own chunk.
  const widget = page.locator('[data-widget="estimate"]').first();
  await widget.scrollIntoViewIfNeeded();
  await expect(widget.locator('leptos-island')).toHaveAttribute('data-hydration', 'done');
  expect(fetched.length).toBeGreaterThan(1);
  expect(fetched.filter(({ status }) => status !== 200)).toEqual([]);
  expect(fetched.some(({ url }) => /split_estimate_widget/.test(url))).toBe(true);
  expect(fetched.some(({ url }) => /instant_search/.test(url))).toBe(false);

  // The header's search wakes when the reader reaches for it.
  const search = page.locator('leptos-island[data-component^="InstantSearch"]');
  await expect(search).not.toHaveAttribute('data-hydration', /./);
  await page.getByRole('combobox', { name: 'Search the handbook' }).click();
  await expect(search).toHaveAttribute('data-hydration', 'done');
  expect(fetched.some(({ url }) => /instant_search/.test(url))).toBe(true);
  await expectAccessible(page);
});

test('the missing page is a real 404 with a way back', async ({ page }) => {
  // The only console error allowed is Chromium reporting the 404 status itself.
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 404')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto('/patterns/no-such-thing');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(errors).toEqual([]);
});

test('a pattern page fits a phone screen', async ({ page, consoleErrors }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/patterns/url-shortener');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: testInfo.outputPath('phone.png') });
  await expectAccessible(page);
});
