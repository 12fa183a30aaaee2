// Playwright drives Debian's Chromium (no browser download) against the release server,
// started by Playwright itself on a port of its own.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.CAIRN_E2E_PORT ?? 3917);
const binary = process.env.CAIRN_BIN ?? '../target/release/cairn';
const siteRoot = process.env.CAIRN_SITE_ROOT ?? '../target/site';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    trace: 'off',
  },
  webServer: {
    command: `${binary} --address 127.0.0.1:${port} --site-root ${siteRoot}`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    env: { CAIRN_LOG: 'warn' },
    stderr: 'pipe',
  },
});
