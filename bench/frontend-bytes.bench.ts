// Front-end bytes: every JavaScript and WASM file a page makes the browser fetch, lazily
// loaded island chunks included, as Chromium really loads the page.
//
// Islands wake when wanted (app/assets/site.js): a widget as it nears the viewport, the
// header's search when the reader reaches for it. So each page, in a fresh browser context
// (empty cache), is measured in three stages, each counting what it made the browser fetch:
//   load     the page opened, network idle;
//   widgets  every widget scrolled into view and hydrated (the page fully working);
//   search   the search box clicked and hydrated.
// Per file: decoded bytes, bytes on the wire as Chromium received them (its
// Accept-Encoding, Cairn's precompressed files), and `brotli -q 11` of the decoded body
// (what a brotli-capable client receives from Cairn's precompressed .br files). Reading the
// HTML alone would miss the chunks an island's loader fetches at run time.
import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

type Stage = 'load' | 'widgets' | 'search';
type Asset = { url: string; kind: 'js' | 'wasm'; stage: Stage; raw: number; wire: number; encoding: string; brotli: number };

// Page types; `CAIRN_BENCH_PAGES` (name|path,name|path) replaces them.
const DEFAULT_PAGES = [
  'home|/',
  'pattern|/patterns/cap-theorem',
  'widget-cache|/patterns/cache-aside',
  'widget-estimate|/patterns/back-of-the-envelope',
  'widget-breaker|/patterns/circuit-breaker',
  'widgets-two|/patterns/url-shortener',
  'search|/search?q=cache',
];

async function quiet(page: Page) {
  // A short extra quiet period catches chained fetches (a chunk's loader asks for more).
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await page.waitForLoadState('networkidle');
}

const SEARCH = 'leptos-island[data-component^="InstantSearch"]';
const WIDGETS = 'leptos-island:not([data-component^="InstantSearch"])';

/** Scrolls to every widget in turn and waits until each has hydrated. */
async function wakeWidgets(page: Page) {
  const widgets = page.locator(WIDGETS);
  for (let index = 0; index < await widgets.count(); index++) {
    await widgets.nth(index).scrollIntoViewIfNeeded();
    await expect(widgets.nth(index)).toHaveAttribute('data-hydration', 'done', { timeout: 30_000 });
  }
}

test('front end: bytes each page type fetches', async ({ browser }) => {
  const pages = (process.env.CAIRN_BENCH_PAGES ?? DEFAULT_PAGES.join(','))
    .split(',')
    .map((entry) => {
      const [name, path] = entry.split('|');
      return { name, path };
    });
  const results: { name: string; path: string; assets: Asset[] }[] = [];
  for (const { name, path } of pages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const pending: Promise<Asset | null>[] = [];
    let stage: Stage = 'load';
    page.on('requestfinished', (request) => {
      const during = stage;
      const url = new URL(request.url());
      const kind = url.pathname.endsWith('.wasm') ? 'wasm' : url.pathname.endsWith('.js') ? 'js' : null;
      if (!kind) return;
      pending.push((async () => {
        const response = await request.response();
        if (!response || !response.ok()) return null;
        const body = await response.body();
        const sizes = await request.sizes();
        return {
          url: url.pathname,
          kind,
          stage: during,
          raw: body.length,
          wire: sizes.responseBodySize,
          encoding: (await response.headerValue('content-encoding')) ?? 'identity',
          brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        };
      })());
    });
    const response = await page.goto(path);
    expect(response?.ok(), `${path} answered ${response?.status()}`).toBe(true);
    await quiet(page);
    stage = 'widgets';
    await wakeWidgets(page);
    await quiet(page);
    stage = 'search';
    await page.getByRole('combobox', { name: 'Search the handbook' }).click();
    await expect(page.locator(SEARCH)).toHaveAttribute('data-hydration', 'done', { timeout: 30_000 });
    await quiet(page);
    const assets = (await Promise.all(pending)).filter((asset): asset is Asset => asset !== null);
    results.push({ name, path, assets });
    await context.close();
  }
  const out = process.env.CAIRN_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  for (const { name, path, assets } of results) {
    const sum = (kind: string, stages: Stage[]) =>
      (assets.filter((asset) => asset.kind === kind && stages.includes(asset.stage))
        .reduce((total, asset) => total + asset.brotli, 0) / 1000).toFixed(1);
    console.log(`${name.padEnd(16)} ${path.padEnd(34)} wasm brotli kB: load ${sum('wasm', ['load'])}, widgets live ${sum('wasm', ['load', 'widgets'])}, search too ${sum('wasm', ['load', 'widgets', 'search'])}; js ${sum('js', ['load', 'widgets', 'search'])}`);
    for (const asset of assets) console.log(`    [${asset.stage}] ${asset.url} ${asset.raw} B raw, ${asset.wire} B sent (${asset.encoding}), ${asset.brotli} B brotli`);
  }
  // A widget page whose widgets fetched no WASM measured islands that never loaded.
  expect(results.filter(({ name, assets }) => name.startsWith('widget') && !assets.some((asset) => asset.kind === 'wasm' && asset.stage !== 'search'))
    .map(({ name }) => name)).toEqual([]);
});
