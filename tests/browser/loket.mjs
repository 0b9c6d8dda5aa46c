// Starts a real `loket demo` on a free port and Debian's Chromium, for the browser tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshots = join(root, 'target', 'screenshots');
mkdirSync(screenshots, { recursive: true });

/** Runs `loket demo` in a fresh data dir; resolves when it prints its address. */
export async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-browser-'));
  const binary = process.env.LOKET_BIN ?? join(root, 'target', 'debug', 'loket');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LOKET_')));
  env.LOKET_LOG = 'warn';
  // The tests count the demo's calls: no live ones arriving meanwhile.
  env.LOKET_DEMO_LIVE_CALLS = 'false';
  const child = spawn(binary, ['demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const address = await new Promise((resolveAddress, reject) => {
    child.on('exit', (code) => reject(new Error(`loket exited early with ${code}`)));
    lines.on('line', (line) => {
      const match = line.match(/^Loket draait op (\S+)/);
      if (match) resolveAddress(match[1]);
    });
  });
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One demo server and one browser for the tests of a file: started before the first test,
 * stopped after the last. The returned object gets `server` and `browser` once started.
 */
export function withDemo() {
  const context = {};
  before(async () => {
    context.server = await startDemo();
    context.browser = await launchBrowser();
  });
  after(async () => {
    await context.browser?.close();
    await context.server?.stop();
  });
  return context;
}

/** Debian's Chromium, headless, with no network chatter of its own. Never downloads a browser. */
export async function launchBrowser() {
  // playwright gives Chromium a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  return browser;
}

export async function login(page, address, username) {
  await page.goto(address + '/');
  await page.getByLabel('Gebruikersnaam').fill(username);
  await page.getByLabel('Wachtwoord').fill('welkom-bij-loket');
  await page.getByLabel('Wachtwoord').press('Enter');
  await page.waitForURL(address + '/');
}

// Finds a customer with the search box and opens them: the only match opens at once, else
// the agent clicks the name in the list.
export async function openCustomer(page, address, query, name) {
  await page.goto(address + '/klanten?q=' + encodeURIComponent(query));
  if (!/\/klanten\/[0-9a-f-]{36}/.test(page.url())) {
    await page.getByRole('link', { name }).first().click();
  }
  await page.getByRole('heading', { level: 1, name }).waitFor();
}
