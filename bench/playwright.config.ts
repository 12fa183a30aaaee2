// Playwright for the instant-search latency benchmark: Debian's Chromium against a Cairn
// server that bench/run.sh has already started (CAIRN_BENCH_URL). A benchmark, not a test:
// it records figures into CAIRN_BENCH_OUT and asserts no speed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: process.env.CAIRN_BENCH_PLAYWRIGHT_DIR ?? './results/playwright',
  workers: 1,
  retries: 0,
  timeout: 180_000,
  reporter: [['line']],
  use: {
    baseURL: process.env.CAIRN_BENCH_URL ?? 'http://127.0.0.1:3950',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    },
    trace: 'off',
  },
});
