// Evaluation in the Web Worker: range queries from the Graph tab, and a runaway query cancelled
// while the page stays responsive (input latency measured during it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { openApp, artifacts } from './harness.mjs';

// 31 samples a minute apart from epoch 0, in the promqltest `load` notation.
const LOAD = 'load 1m\n  requests_total{job="api"} 0+60x30\n  requests_total{job="db"} 0+30x30\n';

const app = openApp();

async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('#running'));
}

test('the Graph tab runs a range query over the data span with about 250 points', async () => {
  const { page, errors } = app.browser;
  await page.goto(app.server.url);
  await page.fill('#data-input', LOAD);
  await page.fill('#query-input', 'rate(requests_total[5m])');
  await page.click('#tab-graph');
  await settled(page);
  assert.equal(await page.textContent('#result-count'), '2 series');
  // The controls show what the run used: the data's 30 minutes, 7 s steps (1800 s / 250).
  assert.equal(await page.getAttribute('#range-span', 'placeholder'), '30m');
  assert.equal(await page.getAttribute('#range-step', 'placeholder'), '7s');
  assert.equal(await page.getAttribute('#range-end', 'placeholder'), '1970-01-01T00:30:00.000Z');
  // A typed step wins; Enter in a control runs.
  await page.fill('#range-step', '5m');
  await page.press('#range-step', 'Enter');
  await settled(page);
  await page.click('#tab-table');
  await settled(page);
  assert.equal(await page.textContent('#result-count'), '2 series');
  await page.click('#tab-graph');
  await settled(page);
  // The chart drew both series: a legend entry each, and pixels in their colours on the canvas.
  assert.equal(await page.$$eval('#graph-legend .legend-item', (l) => l.length), 2);
  const colours = await page.$$eval('#graph-legend .swatch', (l) => l.map((s) => getComputedStyle(s).backgroundColor));
  const counts = await page.evaluate((cols) => {
    const c = document.querySelector('#graph-canvas');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const rgb = cols.map((s) => s.match(/\d+/g).slice(0, 3).map(Number));
    const n = rgb.map(() => 0);
    for (let i = 0; i < px.length; i += 4) {
      rgb.forEach((c, k) => { if (Math.abs(px[i] - c[0]) < 8 && Math.abs(px[i + 1] - c[1]) < 8 && Math.abs(px[i + 2] - c[2]) < 8) n[k]++; });
    }
    return n;
  }, colours);
  console.log(`graph pixels per series colour: ${counts.join(', ')}`);
  assert.ok(counts.every((n) => n > 50), `each series drawn: ${counts}`);
  await page.screenshot({ path: join(artifacts, 'graph-tab.png') });
  // The chart downloads as a PNG image.
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  assert.equal(png.suggestedFilename(), 'promplay-graph.png');
  const bytes = await readFile(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  assert.ok(bytes.length > 2000, `PNG of ${bytes.length} bytes`);
  assert.deepEqual(errors, []);
});

test('a runaway query is cancelled while the page stays responsive', async () => {
  const { page, errors } = app.browser;
  await page.goto(app.server.url);
  await page.fill('#data-input', LOAD);
  await page.click('#tab-graph');
  await settled(page);
  // A median over 360,000 subquery points at each of 1,801 steps: about 12 s natively, far
  // longer than the test waits.
  await page.fill('#query-input', 'quantile_over_time(0.5, requests_total[1h:10ms])');
  await page.fill('#range-step', '1s');
  await page.click('#run-button');
  await page.waitForSelector('#running', { timeout: 5000 });
  await page.waitForTimeout(300);
  // It says how far it got: the node being evaluated and the share of its windows done.
  const progress = async () => {
    await page.waitForFunction(() => /%$/.test(document.querySelector('#progress')?.textContent ?? ''), null, { timeout: 10000 });
    const text = await page.textContent('#progress');
    return [text, Number(text.match(/(\d+)%$/)[1])];
  };
  const [first, p1] = await progress();
  await page.waitForTimeout(1500);
  const [second, p2] = await progress();
  console.log(`progress: "${first}", 1.5 s later "${second}"`);
  assert.match(first, /^quantile_over_time\(0\.5, requests_total\[1h:10ms\]\) \d+%$/);
  assert.ok(p2 >= p1 && p2 < 100, `${p1}% then ${p2}%`);
  // The page's own thread is free: a timer fires at once and typing shows up.
  const latencies = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t);
    }
    return out;
  });
  const worst = Math.max(...latencies);
  const t0 = Date.now();
  await page.type('#query-input', ' ');
  const typing = Date.now() - t0;
  console.log(`during the query: timer latency max ${worst.toFixed(1)} ms, typing a key ${typing} ms`);
  assert.ok(worst < 100, `timer latency ${worst} ms`);
  assert.ok(await page.isVisible('#running'), 'still running');
  const c0 = Date.now();
  await page.click('#cancel-button');
  await page.waitForSelector('#query-error');
  console.log(`cancelled in ${Date.now() - c0} ms`);
  assert.match(await page.textContent('#query-error'), /Cancelled/);
  assert.equal(await page.$('#running'), null);
  // A fresh worker gets the data again and answers.
  await page.click('#tab-table');
  await settled(page);
  await page.fill('#query-input', 'requests_total');
  await page.click('#run-button');
  await settled(page);
  assert.equal(await page.textContent('#result-count'), '2 series');
  // The table sorts by value, ascending then descending, then back to Prometheus's order.
  const labels = () => page.$$eval('#results tr.result-row .result-labels', (l) => l.map((c) => c.textContent));
  assert.deepEqual(await labels(), ['requests_total{job="api"}', 'requests_total{job="db"}']);
  await page.click('#sort-value');
  assert.deepEqual(await labels(), ['requests_total{job="db"}', 'requests_total{job="api"}']);
  await page.click('#sort-value');
  assert.deepEqual(await labels(), ['requests_total{job="api"}', 'requests_total{job="db"}']);
  assert.equal(await page.getAttribute('th:has(#sort-value)', 'aria-sort'), 'descending');
  assert.deepEqual(errors, []);
});

// A fresh browser (nothing cached) on the page, after its first run, with the paths it has
// fetched so far and on; the full worker has not been among them.
async function freshPage(fresh) {
  const loaded = [];
  fresh.page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await fresh.page.goto(app.server.url);
  await fresh.page.waitForSelector('#result-count');
  await settled(fresh.page);
  assert.ok(loaded.includes('/worker_loader.js'), loaded.join(' '));
  assert.ok(!loaded.some((p) => p.startsWith('/worker_full')), `not fetched at load: ${loaded.join(' ')}`);
  return loaded;
}

test('the first load runs queries with the small worker; the Relabel view brings the full one', async () => {
  const fresh = await launch();
  try {
    const { page, errors } = fresh;
    const loaded = await freshPage(fresh);
    const count = await page.textContent('#result-count');
    await page.click('#view-relabel');
    await page.waitForSelector('#relabel-counts');
    assert.ok(loaded.includes('/worker_full_loader.js'), loaded.join(' '));
    // The full worker got the data again: the query still answers the same.
    await page.click('#view-query');
    await page.click('#run-button');
    await settled(page);
    assert.equal(await page.textContent('#result-count'), count);
    assert.deepEqual(errors, []);
  } finally {
    await fresh.close();
  }
});

test('a regex that needs Unicode tables is handed to the full worker and answers as Go does', async () => {
  const fresh = await launch();
  try {
    const { page, errors } = fresh;
    const loaded = await freshPage(fresh);
    // Go folds k to the Kelvin sign (U+212A): (?i) matches it; only the full worker has that table.
    await page.fill('#data-input', 'up{job="Kafka"} 1\nup{job="\u212Aafka"} 2\nup{job="db"} 3\n');
    await page.fill('#query-input', 'up{job=~"(?i)kafka"}');
    await page.click('#run-button');
    await page.waitForFunction(() => document.querySelector('#result-count')?.textContent === '2 series');
    await settled(page);
    assert.ok(loaded.includes('/worker_full_loader.js'), loaded.join(' '));
    assert.equal(await page.$('#query-error'), null);
    const labels = await page.$$eval('#results tr.result-row .result-labels', (l) => l.map((c) => c.textContent));
    assert.deepEqual(labels, ['up{job="Kafka"}', 'up{job="\u212Aafka"}']);
    // The editor's analysis was handed on as well: no parse hint, no error underline.
    assert.equal(await page.$('#query-hint'), null);
    assert.equal(await page.$('.t-error'), null);
    assert.deepEqual(errors, []);
  } finally {
    await fresh.close();
  }
});
