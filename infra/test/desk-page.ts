import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** playwright-core's types, for tests outside infra (its package is infra's). */
export type { Browser, BrowserContext, Page } from 'playwright-core';

const web = fileURLToPath(new URL('../../services/desk/web/', import.meta.url));
const builtPage = join(web, 'dist/index.html');

/** The newest modification time under a folder (sources of the page). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds the desk page (Vite) unless dist/ is newer than every source: infra/dev builds it before
 * the tests, this covers a test run by hand after an edit. Desk reads dist/ when it starts, so
 * call this before starting the stack.
 */
export function ensureDeskPageBuilt(): void {
  const sources = Math.max(newest(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs, statSync(join(web, 'vite.config.ts')).mtimeMs);
  if (existsSync(builtPage) && statSync(builtPage).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(web, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: web, stdio: 'inherit' });
}

/** The machine's Chromium (infra/dev installs it with apt: `chromium`, and `fonts-noto-cjk` for the Chinese). */
export const CHROMIUM = process.env.GRIDCASE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run infra/dev test (it installs it), or as root: apt-get install -y chromium fonts-noto-cjk`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    // A UTF-8 locale whatever the caller's (a CI may run with none): under POSIX, Chromium cannot name
    // a download in Chinese (the sheet's 城关派出所_….xlsx) and calls it "download".
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
}

/** Where screenshots go: test-results/ at the repository root (git-ignored; CI keeps it as an artefact). */
export function artefactDir(name: string): string {
  const dir = fileURLToPath(new URL(`../../test-results/${name}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}
