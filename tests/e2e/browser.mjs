// Starts Debian's Chromium headless with a fresh profile, and records every console error.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Without the background-networking flags Chromium keeps dialling out, and this machine has no
// network but the package registries.
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch({ width = 1280, height = 800 } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'promplay-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('requestfailed', (req) => {
    // A worker terminated while it loads (the page swaps in the full evaluator, or Cancel) has
    // its script fetch aborted: expected, not an error.
    const aborted = req.failure()?.errorText === 'net::ERR_ABORTED' && /\/worker[^/]*\.(js|wasm)$/.test(new URL(req.url()).pathname);
    if (!aborted) errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  return {
    page,
    errors,
    close: async () => { await context.close(); await rm(profile, { recursive: true, force: true }); },
  };
}
