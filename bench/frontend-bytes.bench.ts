// Front-end bytes: every JavaScript and WASM file a page makes the browser fetch, lazily
// loaded island chunks included, as Chromium really loads the page.
//
// Each page opens in a fresh browser context (empty cache), waits until the network has
// been idle and every island on the page has hydrated, then sums the .js and .wasm
// responses: decoded bytes, bytes on the wire as Chromium received them (its
// Accept-Encoding, Cairn's precompressed files), and `brotli -q 11` of the decoded body
// (what a brotli-capable client receives from Cairn's precompressed .br files). Reading the
// HTML alone would miss the chunks an island's loader fetches at run time.
import { test, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

type Asset = { url: string; kind: 'js' | 'wasm'; raw: number; wire: number; encoding: string; brotli: number };

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

async function islandsHydrated(page: Page) {
  // Leptos marks nothing on a hydrated island, so wait for what hydration does: the
  // island's script loader has run once every lazy chunk it asked for has arrived, which
  // the network-idle wait covers; a short extra quiet period catches chained fetches.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await page.waitForLoadState('networkidle');
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
    page.on('requestfinished', (request) => {
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
          raw: body.length,
          wire: sizes.responseBodySize,
          encoding: (await response.headerValue('content-encoding')) ?? 'identity',
          brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
        };
      })());
    });
    const response = await page.goto(path);
    expect(response?.ok(), `${path} answered ${response?.status()}`).toBe(true);
    await islandsHydrated(page);
    const assets = (await Promise.all(pending)).filter((asset): asset is Asset => asset !== null);
    results.push({ name, path, assets });
    await context.close();
  }
  const out = process.env.CAIRN_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  for (const { name, path, assets } of results) {
    const sum = (kind: string, key: 'raw' | 'wire' | 'brotli') =>
      (assets.filter((asset) => asset.kind === kind).reduce((total, asset) => total + asset[key], 0) / 1024).toFixed(1);
    console.log(`${name.padEnd(16)} ${path.padEnd(34)} wasm ${sum('wasm', 'brotli')} KB brotli (${sum('wasm', 'raw')} raw), js ${sum('js', 'brotli')} KB brotli`);
    for (const asset of assets) console.log(`    ${asset.url} ${asset.raw} B raw, ${asset.wire} B sent (${asset.encoding}), ${asset.brotli} B brotli`);
  }
  // A widget page that fetched no WASM measured a page whose islands never loaded.
  expect(results.filter(({ name, assets }) => name.startsWith('widget') && !assets.some((asset) => asset.kind === 'wasm'))
    .map(({ name }) => name)).toEqual([]);
});
