// Instant search latency: from the last keystroke of a query to the first frame painted
// with its results, in the real island (WASM) in Chromium, over many typed queries.
//
// Each query is typed into an empty box at a quick typist's pace (40 ms between keys). The
// island may fetch and show results for prefixes on the way; a sample ends only when the
// list holds the results of the whole query (its `data-query` names the query its hits
// answer). The time runs from the last `input` event to the frame after that, and is split
// into the part spent before the request left (the debounce), the request itself (Resource
// Timing) and the part after the response (parsing, rendering, painting).
import { test, expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';

const QUERIES = [
  'circuit breaker', 'cache aside', 'idempotency', 'rate limiting', 'token bucket',
  'consistent hashing', 'sharding', 'leader election', 'write through', 'thundring herd',
  'circut breaker', 'retries', 'load shedding', 'bulkhead', 'timeouts', 'health checks',
  'replication', 'quorum', 'outbox', 'saga', 'exactly once', 'dead letter', 'back pressure',
  'url shortener', 'chat', 'payments', 'kafka', 'redis', 'lazy loading', 'latency',
  'error budget', 'graceful degradation', 'cache stampede', 'refresh ahead', 'write behind',
  'eviction', 'hot key', 'partition', 'read through', 'rebalanc', 'consistency', 'idempot',
  'fan out', 'queue', 'backoff', 'jitter', 'failover', 'replica', 'key value', 'throttle',
];

test('instant search: keystroke to results painted', async ({ page }) => {
  const count = Number(process.env.CAIRN_BENCH_QUERIES ?? QUERIES.length);
  // Measuring instruments, installed before any page script runs.
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__lastInput = 0;
    document.addEventListener('input', (event) => { w.__lastInput = event.timeStamp; }, true);
  });
  await page.goto('/');
  const box = page.locator('[data-test="site-search"]');
  // Hydrated once typing opens the result list; a warm-up query also warms the server.
  await expect(async () => {
    await box.fill('');
    await box.pressSequentially('cache', { delay: 40 });
    await expect(page.locator('[data-test="instant-hit"]').first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });

  const samples: { query: string; total: number; beforeRequest: number; request: number; afterResponse: number; hits: number }[] = [];
  for (const query of QUERIES.slice(0, count)) {
    await box.fill('');
    await expect(page.locator('[data-test="instant-hit"]')).toHaveCount(0);
    await page.evaluate(() => performance.clearResourceTimings());
    // Arm the observer: it resolves on the first frame painted after the list holds the
    // results of exactly this query (the list's `data-query`), so results of a prefix
    // typed on the way, which arrive while the later keys are still being typed, never
    // count as this query's paint.
    const painted = page.evaluate((text) => new Promise<number>((resolve) => {
      const root = document.querySelector('[data-test="instant-search"]')!;
      const popup = root.querySelector<HTMLElement>('.search-popup')!;
      const list = root.querySelector<HTMLElement>('[role="listbox"]')!;
      const check = () => {
        if (popup.hidden || list.dataset.query !== text || !list.querySelector('[data-test="instant-hit"]')) return;
        observer.disconnect();
        // The callback of the next animation frame runs before that frame is painted; a
        // task queued from it runs after the paint.
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      };
      const observer = new MutationObserver(check);
      observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    }), query);
    await box.pressSequentially(query, { delay: 40 });
    const paintedAt = await painted;
    const timing = await page.evaluate((text) => {
      const lastInput = (window as unknown as Record<string, number>).__lastInput;
      // The request for the whole query (its `q=` is the last parameter); the prefixes'
      // requests went out before and never match it exactly.
      const wanted = `q=${encodeURIComponent(text).replace(/%20/g, '+')}`;
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const request = entries.filter((entry) => entry.name.includes('/api/search') && entry.name.endsWith(wanted)).pop();
      return { lastInput, start: request?.startTime ?? NaN, end: request?.responseEnd ?? NaN };
    }, query);
    const hits = await page.locator('[data-test="instant-hit"]').count();
    samples.push({
      query,
      total: paintedAt - timing.lastInput,
      beforeRequest: timing.start - timing.lastInput,
      request: timing.end - timing.start,
      afterResponse: paintedAt - timing.end,
      hits,
    });
  }
  const out = process.env.CAIRN_BENCH_OUT;
  if (out) writeFileSync(out, JSON.stringify(samples, null, 1));
  for (const sample of samples) {
    console.log(`${sample.query.padEnd(22)} ${sample.total.toFixed(1)} ms (debounce ${sample.beforeRequest.toFixed(1)}, request ${sample.request.toFixed(1)}, after ${sample.afterResponse.toFixed(1)}), ${sample.hits} hits`);
  }
  // Every query must have produced results, and every sample must end after its last
  // keystroke and pair with its own request, or the timing measured something else.
  expect(samples.filter((sample) => sample.hits === 0).map((sample) => sample.query)).toEqual([]);
  expect(samples.filter((sample) => !(sample.total > 0) || !(sample.beforeRequest >= 0) || !(sample.afterResponse >= 0))
    .map((sample) => sample.query)).toEqual([]);
});
