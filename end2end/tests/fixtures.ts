// Shared test setup: every test fails on a console error or an uncaught exception,
// which is how hydration mismatches and CSP violations show up.
import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, ChildProcess } from 'node:child_process';

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await use(errors);
    expect(errors, 'console errors').toEqual([]);
  },
});

export { expect };

/** Fails on any axe violation rated serious or critical. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

/** A Cairn server of a test's own (e.g. on a content fixture), on a free port. */
export interface OwnServer {
  process: ChildProcess;
  base: string;
}

/** Starts the release binary with `args` and resolves once it says where it listens. */
export async function startServer(args: string[]): Promise<OwnServer> {
  const binary = process.env.CAIRN_BIN ?? '../target/release/cairn';
  const siteRoot = process.env.CAIRN_SITE_ROOT ?? '../target/site';
  const child = spawn(binary, ['--address', '127.0.0.1:0', '--site-root', siteRoot, ...args], {
    env: { ...process.env, CAIRN_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('cairn did not start')), 60_000);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
  });
  return { process: child, base };
}
