// With --watch, an open tab refreshes itself after a content edit, and shows a banner
// (while the last good page keeps serving) when the edit breaks the file.
import { mkdtempSync, mkdirSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, startServer, OwnServer } from './fixtures';

let folder: string;
let server: OwnServer | undefined;
let base: string;

function write(relative: string, text: string) {
  const target = join(folder, relative);
  const staging = join(folder, '.staging');
  writeFileSync(staging, text);
  renameSync(staging, target);
}

const page = (word: string) =>
  `---\ntitle: Failover runbook\nsummary: What to do when the primary goes.\n---\n# Failover runbook\n\nPromote the replica with the ${word} command.\n`;

test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'cairn-e2e-watch-'));
  mkdirSync(join(folder, 'ops'));
  write('ops/failover.md', page('pelican'));
  server = await startServer(['--content', folder, '--watch']);
  base = server.base;
});

test.afterAll(() => {
  server?.process.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
});

test('an open tab refreshes after an edit and shows a broken file', async ({ page: tab, consoleErrors }) => {
  await tab.goto(`${base}/patterns/failover`);
  await expect(tab.getByText('pelican command')).toBeVisible();
  // The page follows the server's change stream before anything is edited.
  await expect(tab.locator('html[data-live-reload-following="true"]')).toHaveCount(1);

  write('ops/failover.md', page('albatross'));
  await expect(tab.getByText('albatross command')).toBeVisible({ timeout: 30_000 });

  write('ops/failover.md', '---\ntitle: Failover runbook\n---\nSee [the missing page](missing.md).\n');
  const banner = tab.locator('[data-test="reload-problem"]');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('ops/failover.md:4');
  await expect(tab.getByText('albatross command')).toBeVisible();

  write('ops/failover.md', page('cormorant'));
  await expect(tab.getByText('cormorant command')).toBeVisible({ timeout: 30_000 });
  await expect(banner).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});
