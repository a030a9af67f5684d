// The sample datasets end to end: every dataset of www/datasets/index.json loads from the menu
// and its first suggested query returns rows, in the release build, without console errors;
// plus the cardinality panel, the exports and a broken paste.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, artifacts } from './harness.mjs';

const manifest = JSON.parse(await readFile(new URL('../../www/datasets/index.json', import.meta.url), 'utf8'));

const app = openApp(undefined, async () => {
  await app.browser.page.goto(app.server.url);
  await app.browser.page.waitForSelector('#dataset-menu');
});

async function rowCount(page) {
  return page.$$eval('#results tr.result-row', (trs) => trs.length);
}

// The worker has answered the last run.
async function evaluated(page) {
  await page.waitForFunction(() => !document.querySelector('#running'), null, { timeout: 60_000 });
}

// Chooses a dataset and waits until its text is in, its description shows and the worker has
// loaded it and answered its first query.
async function choose(page, d) {
  await page.selectOption('#dataset-menu', d.id);
  await page.waitForFunction((title) => document.querySelector('#dataset-title')?.textContent === title
    && !document.querySelector('#dataset-status'), d.title, { timeout: 60_000 });
  await evaluated(page);
}

test('the menu lists every dataset of index.json', async () => {
  const { page } = app.browser;
  const titles = await page.$$eval('#dataset-menu option:not([disabled])', (os) => os.map((o) => o.textContent));
  assert.deepEqual(titles, manifest.datasets.map((d) => d.title));
});

for (const d of manifest.datasets) {
  test(`dataset ${d.id}: its first suggested query returns rows`, async () => {
    const { page, errors } = app.browser;
    const t0 = Date.now();
    await choose(page, d);
    const loaded = Date.now() - t0;
    // The worker's time for parsing, storing and the first query, in Chromium's wasm.
    const worker = parseFloat(await page.textContent('#elapsed'));
    const samples = parseInt((await page.textContent('#data-status')).replace(/,/g, ''), 10);
    console.log(`${d.id}: ${samples} samples, worker ${worker} ms (${(samples / worker / 1000).toFixed(2)}M samples/s with the query)`);
    await page.click('.suggested-query >> nth=0');
    await page.waitForFunction((q) => document.querySelector('#query-input')?.value === q, d.queries[0].query);
    await evaluated(page);
    const n = await rowCount(page);
    console.log(`${d.id}: loaded in ${loaded} ms, ${n} rows for ${d.queries[0].query}`);
    assert.ok(n >= 1, `${d.id}: ${d.queries[0].query} returned no rows`);
    assert.equal(await page.$('#query-error'), null);
    assert.equal(await page.$('#data-error'), null);
    assert.deepEqual(errors, []);
    if (d.id === 'ipam') await page.screenshot({ path: join(artifacts, 'datasets.png'), fullPage: true });
  });
}

test('the cardinality panel shows the store statistics of the loaded dataset', async () => {
  const { page, errors } = app.browser;
  await choose(page, manifest.datasets.find((d) => d.id === 'acme-beverages'));
  await page.click('#cardinality summary');
  assert.equal((await page.textContent('#card-series')).trim(), '3');
  assert.match(await page.textContent('#cardinality'), /beverages_consumed_total/);
  await page.screenshot({ path: join(artifacts, 'cardinality.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('the result downloads as CSV and as API JSON', async () => {
  const { page, errors } = app.browser;
  await page.fill('#query-input', 'count(beverages_consumed_total)');
  await page.click('#run-button');
  await evaluated(page);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  assert.equal(csv.suggestedFilename(), 'promplay-result.csv');
  const csvText = await readFile(await csv.path(), 'utf8');
  assert.match(csvText, /,3\n?$/);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const body = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(body.status, 'success');
  assert.equal(body.data.resultType, 'vector');
  assert.equal(body.data.result[0].value[1], '3');
  assert.deepEqual(errors, []);
});

test('a broken exposition paste shows the error at its line', async () => {
  const { page } = app.browser;
  const bad = '# TYPE up gauge\nup{job="a"} 1\nup{job="b" 0\n';
  await page.fill('#data-input', bad);
  await page.click('#run-button');
  const err = await page.waitForSelector('#data-error', { state: 'visible' });
  assert.match(await err.textContent(), /^3:\d+: /);
  assert.equal(await page.inputValue('#data-input'), bad);
});
