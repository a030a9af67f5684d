// Shareable, durable state: a copied link reproduces the workspace in a fresh browser, a
// reload restores it from localStorage, Reset starts over, and the theme choice sticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { openApp, artifacts } from './harness.mjs';

const DATA = 'load 1m\n  requests_total{job="api"} 0+60x30\n  requests_total{job="db"} 0+30x30\n';
const QUERY = 'sum by (job) (rate(requests_total[5m]))';
const RULES = '- action: labeldrop\n  regex: pod_template_hash\n';

const app = openApp();

async function settled(page) {
  await page.waitForSelector('#result-count');
  await page.waitForFunction(() => !document.querySelector('#running'));
}

test('a copied link reproduces the workspace in a fresh browser', async () => {
  const { page, errors } = app.browser;
  await page.goto(app.server.url);
  await settled(page);
  await page.fill('#data-input', DATA);
  await page.fill('#query-input', QUERY);
  await page.click('#tab-graph');
  await page.fill('#range-step', '5m');
  await page.press('#range-step', 'Enter');
  await settled(page);
  // Relabel rules travel with the link too.
  await page.click('#view-relabel');
  await page.waitForFunction(() => document.querySelector('#relabel-rules')?.value.length > 0);
  await page.fill('#relabel-rules', RULES);
  await page.click('#view-query');
  await page.click('#copy-link');
  await page.waitForSelector('#share-status');
  const url = page.url();
  assert.match(url, /#w=[A-Za-z0-9_-]+$/);
  console.log(`link: ${url.length} characters, ${await page.textContent('#share-status')}`);

  const fresh = await launch();
  try {
    await fresh.page.goto(url);
    await fresh.page.waitForFunction((q) => document.querySelector('#query-input')?.value === q, QUERY);
    await settled(fresh.page);
    assert.equal(await fresh.page.inputValue('#data-input'), DATA);
    assert.equal(await fresh.page.getAttribute('#tab-graph', 'aria-selected'), 'true');
    assert.equal(await fresh.page.inputValue('#range-step'), '5m');
    assert.equal(await fresh.page.textContent('#result-count'), '2 series');
    await fresh.page.click('#view-relabel');
    assert.equal(await fresh.page.inputValue('#relabel-rules'), RULES);
    await fresh.page.click('#view-query');
    await fresh.page.screenshot({ path: join(artifacts, 'shared-link.png') });
    assert.deepEqual(fresh.errors, []);
  } finally {
    await fresh.close();
  }
  assert.deepEqual(errors, []);
});

test('a reload restores the workspace; Reset starts over', async () => {
  const { page, errors } = app.browser;
  await page.goto(app.server.url);
  await settled(page);
  await page.click('#tab-table');
  await page.fill('#data-input', 'up{job="x"} 1\n');
  await page.fill('#query-input', 'up == 1');
  await page.click('#run-button');
  await settled(page);
  await page.goto(app.server.url);
  await settled(page);
  assert.equal(await page.inputValue('#query-input'), 'up == 1');
  assert.equal(await page.inputValue('#data-input'), 'up{job="x"} 1\n');
  assert.equal(await page.textContent('#result-count'), '1 series');
  await Promise.all([page.waitForEvent('load'), page.click('#reset')]);
  await settled(page);
  assert.notEqual(await page.inputValue('#query-input'), 'up == 1');
  assert.match(await page.inputValue('#data-input'), /probe_success/);
  assert.deepEqual(errors, []);
});

test('the theme toggle cycles system, light, dark and sticks', async () => {
  const { page } = app.browser;
  await page.goto(app.server.url);
  await settled(page);
  const theme = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const start = await theme();
  if (start !== null) {
    // An earlier run left a choice: cycle back to "system".
    while ((await theme()) !== null) await page.click('#theme-toggle');
  }
  await page.click('#theme-toggle');
  assert.equal(await theme(), 'light');
  await page.click('#theme-toggle');
  assert.equal(await theme(), 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(17, 20, 24)');
  await page.screenshot({ path: join(artifacts, 'dark-theme.png') });
  await page.goto(app.server.url);
  await settled(page);
  assert.equal(await theme(), 'dark');
  await page.click('#theme-toggle');
  assert.equal(await theme(), null);
});
