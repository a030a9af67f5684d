// The first slice end to end: the release build in a real Chromium, data in, query, table out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, artifacts } from './harness.mjs';

const DATA = `# HELP up Whether the target is up.
# TYPE up gauge
up{job="a",instance="h1:9100"} 1
up{job="a",instance="h2:9100"} 0
up{job="b",instance="h3:9100"} 1
up{job="ab",instance="h4:9100"} 1
`;

const app = openApp();

async function run(page, { data, query, keys = false }) {
  if (data !== undefined) await page.fill('#data-input', data);
  await page.fill('#query-input', query);
  if (keys) {
    await page.focus('#query-input');
    await page.keyboard.press('Control+Enter');
  } else {
    await page.click('#run-button');
  }
}

async function rows(page) {
  await page.waitForSelector('#results');
  return page.$$eval('#results tr.result-row', (trs) =>
    trs.map((tr) => [tr.querySelector('.result-labels')?.textContent.trim(), tr.querySelector('.result-value')?.textContent.trim()]));
}

test('page loads without console errors and shows the pre-filled result', async () => {
  const { page, errors } = app.browser;
  const t0 = Date.now();
  await page.goto(app.server.url);
  await page.waitForSelector('#run-button');
  const interactive = Date.now() - t0;
  // The pre-filled query's result comes from the worker: its wasm loaded and compiled.
  await page.waitForSelector('#result-count');
  console.log(`interactive after ${interactive} ms, first result after ${Date.now() - t0} ms`);
  assert.ok((await page.inputValue('#data-input')).length > 0, 'data pane is pre-filled');
  assert.ok((await page.inputValue('#query-input')).length > 0, 'query is pre-filled');
  await page.click('#run-button');
  assert.ok((await rows(page)).length > 0, 'the pre-filled query returns rows');
  assert.deepEqual(errors, []);
});

test('the four matcher types select the right series', async () => {
  const { page, errors } = app.browser;
  await run(page, { data: DATA, query: 'up{job="a"}' });
  let r = await rows(page);
  assert.deepEqual(r.map((x) => x[0]).sort(), ['up{instance="h1:9100", job="a"}', 'up{instance="h2:9100", job="a"}']);
  assert.deepEqual(r.map((x) => x[1]).sort(), ['0', '1']);
  assert.match(await page.textContent('#result-count'), /^2 series/);

  await run(page, { query: 'up{job!="a"}' });
  assert.equal((await rows(page)).length, 2);

  // Fully anchored: "a" matches job="a" only, not "ab".
  await run(page, { query: 'up{job=~"a"}' });
  assert.equal((await rows(page)).length, 2);

  await run(page, { query: '{__name__="up", job!~"a.*"}', keys: true });
  r = await rows(page);
  assert.deepEqual(r, [['up{instance="h3:9100", job="b"}', '1']]);
  await page.screenshot({ path: join(artifacts, 'slice.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('a bad query shows line:col next to the input and keeps the text', async () => {
  const { page } = app.browser;
  const bad = 'up{job="a"';
  await run(page, { query: bad });
  const err = await page.waitForSelector('#query-error', { state: 'visible' });
  assert.match(await err.textContent(), /^1:\d+: /);
  assert.equal(await page.inputValue('#query-input'), bad);
  await page.screenshot({ path: join(artifacts, 'query-error.png') });
});

test('a bad exposition line shows its line number and keeps the text', async () => {
  const { page } = app.browser;
  const bad = `${DATA}up{job="c" 1\n`;
  await run(page, { data: bad, query: 'up' });
  const err = await page.waitForSelector('#data-error', { state: 'visible' });
  assert.match(await err.textContent(), /^7:\d+: /);
  assert.equal(await page.inputValue('#data-input'), bad);
  await page.screenshot({ path: join(artifacts, 'data-error.png') });
});
