// The Explain tab and the histogram_quantile explainer in the release build: the tree of a
// query with each node's own result, a click showing a node's full result and what went into
// it, the explainer's 1.375 with its step chart drawn, and the what-if panel's error following
// edited bucket bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openApp, artifacts } from './harness.mjs';

// Counters every 15 s for 10 minutes and a classic histogram, in the promqltest `load` notation.
const LOAD = `load 15s
  http_requests_total{job="api", instance="a"} 0+10x40
  http_requests_total{job="api", instance="b"} 0+20x40
  http_requests_total{job="db", instance="c"} 0+5x40
  lat_bucket{job="api", le="1"} 0+2x40
  lat_bucket{job="api", le="2"} 0+10x40
  lat_bucket{job="api", le="+Inf"} 0+10x40
`;

const app = openApp(undefined, async () => {
  await app.browser.page.goto(app.server.url);
  await app.browser.page.fill('#data-input', LOAD);
});

async function explain(page, query) {
  await page.fill('#query-input', query);
  if (await page.$('#tab-explain.selected')) await page.click('#run-button');
  else await page.click('#tab-explain');
  await page.waitForFunction((q) => document.querySelector('#explain-tree .explain-node .en-text')?.textContent === q, query);
}

test('the Explain tab shows the query as a tree with each node\'s result', async () => {
  const { page, errors } = app.browser;
  await explain(page, 'sum by (job) (rate(http_requests_total[5m]))');
  const nodes = await page.$$eval('#explain-tree .explain-node', (ns) => ns.map((n) => ({
    text: n.querySelector(':scope > .en-self .en-text').textContent,
    kind: n.querySelector(':scope > .en-self .en-kind').textContent,
    count: n.querySelector(':scope > .en-self .en-count').textContent,
    why: n.querySelector(':scope > .en-self .en-why').textContent,
    depth: (() => { let d = 0; for (let p = n.parentElement; p && p.id !== 'explain-tree'; p = p.parentElement) d += 1; return d; })(),
  })));
  assert.deepEqual(nodes.map((n) => [n.text, n.kind, n.count, n.depth]), [
    ['sum by (job) (rate(http_requests_total[5m]))', 'aggregation', '2 series', 0],
    ['rate(http_requests_total[5m])', 'function call', '3 series', 1],
    ['http_requests_total[5m]', 'range selector', '3 series', 2],
  ]);
  assert.match(nodes[0].why, /^Adds up the values per group of series with the same job/);
  assert.match(nodes[2].why, /\(t−5m, t\]/);
  assert.match(await page.textContent('#explain-tree'), /\{job="api"\} => 2/);
  // The root is chosen first: its full result and which series went into each group.
  assert.equal(await page.$$eval('#explain-result tr.result-row', (r) => r.length), 2);
  assert.match(await page.textContent('#provenance'), /group \{job="api"\} → \{job="api"\} => 2/);
  // A click on the rate node: its own three series, and the samples of each window.
  await page.click('#explain-tree .explain-node .explain-node > .en-self');
  await page.waitForFunction(() => document.querySelector('#explain-result code')?.textContent === 'rate(http_requests_total[5m])');
  const rows = await page.$$eval('#explain-result tr.result-row', (r) => r.map((x) => x.textContent));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /\{instance="a", job="api"\}0\.6666666666666666/);
  const samples = await page.$$eval('#provenance tr.prov-input', (r) => r[0].querySelectorAll('.sample').length);
  assert.equal(samples, 20);
  // The node's expression graphed over the Graph tab's range: a line per series, drawn.
  await page.click('#explain-node-graph');
  await page.waitForFunction(() => document.querySelectorAll('#explain #graph-legend .swatch').length === 3);
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#explain #graph-canvas');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const swatch = getComputedStyle(document.querySelector('#explain #graph-legend .swatch')).backgroundColor;
    const [r, g, b] = swatch.match(/\d+/g).map(Number);
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) n += 1;
    return n;
  });
  assert.ok(inked > 100, `the first series' colour covers ${inked} pixels`);
  // The nodes are reachable from the keyboard: Enter on a focused node selects it.
  await page.focus('#explain-tree .explain-node .explain-node .explain-node > .en-self');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#explain-result code')?.textContent === 'http_requests_total[5m]');
  await page.screenshot({ path: join(artifacts, 'explain-tree.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('the explainer takes the demo histogram apart: 1.375, with the step chart drawn', async () => {
  const { page, errors } = app.browser;
  await page.click('#hq-demo');
  await page.waitForSelector('#hq-value');
  assert.equal(await page.textContent('#hq-value'), '1.375');
  // Three buckets as bars, the staircase, the interpolation line and the point it gives.
  assert.equal(await page.$$eval('#hq-body #hq-chart rect.bar', (r) => r.length), 3);
  assert.ok(await page.$('#hq-body #hq-chart path.steps'));
  assert.ok(await page.$('#hq-body #hq-chart line.interp'));
  assert.equal(await page.textContent('#hq-body #hq-chart .hit-label'), '1.375');
  const box = await page.$eval('#hq-body #hq-chart', (s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; });
  assert.ok(box[0] > 200 && box[1] > 80, `chart ${box}`);
  assert.match(await page.textContent('.hq-steps'), /value = 1 \+ \(2 − 1\) · \(50 − 20\) \/ 80 = 1\.375/);
  // Edge cases: the rank in the +Inf bucket gives the highest finite bound; a decreasing
  // count is fixed (and marked on the chart); φ > 1 gives +Inf.
  await page.fill('#hq-buckets', '1:20, 2:40, +Inf:100');
  await page.press('#hq-buckets', 'Enter');
  await page.waitForFunction(() => document.querySelector('#hq-value')?.textContent === '2');
  assert.match(await page.textContent('.hq-case'), /rank falls in the \+Inf bucket/);
  await page.fill('#hq-buckets', '1:30, 2:20, +Inf:100');
  await page.press('#hq-buckets', 'Enter');
  // The value is 2 before and after: wait for the new explanation, not for the value.
  await page.waitForFunction(() => document.querySelector('#hq-body')?.textContent.includes('Monotonicity fix'));
  assert.equal(await page.textContent('#hq-value'), '2');
  assert.match(await page.textContent('#hq-body'), /Monotonicity fix: le=2 counts 20/);
  assert.equal(await page.$$eval('#hq-chart circle.unfixed', (c) => c.length), 1);
  await page.locator('#hq-explainer').screenshot({ path: join(artifacts, 'hq-monotonic.png') });
  await page.fill('#hq-phi', '1.5');
  await page.press('#hq-phi', 'Enter');
  await page.waitForFunction(() => document.querySelector('#hq-value')?.textContent === '+Inf');
  await page.fill('#hq-phi', '0.5');
  await page.press('#hq-phi', 'Enter');
  await page.fill('#hq-buckets', '1:20, 2:100, +Inf:100');
  await page.press('#hq-buckets', 'Enter');
  await page.waitForFunction(() => document.querySelector('#hq-value')?.textContent === '1.375');
  await page.locator('#hq-explainer').screenshot({ path: join(artifacts, 'hq-explainer.png') });
  assert.deepEqual(errors, []);
});

test('the what-if panel updates the error when the bounds change', async () => {
  const { page, errors } = app.browser;
  await page.waitForSelector('#hq-error');
  const before = await page.textContent('#hq-error');
  const truth = await page.textContent('#hq-true');
  await page.fill('#hq-bounds', '0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 1');
  await page.press('#hq-bounds', 'Enter');
  await page.waitForFunction((b) => document.querySelector('#hq-error')?.textContent !== b, before);
  const after = await page.textContent('#hq-error');
  console.log(`what-if p90: true ${truth}, error ${before} -> ${after}`);
  assert.equal(await page.textContent('#hq-true'), truth);
  const abs = (s) => Math.abs(parseFloat(s));
  assert.ok(abs(after) < abs(before), `finer buckets should estimate better: ${before} -> ${after}`);
  await page.locator('#hq-whatif').screenshot({ path: join(artifacts, 'hq-whatif.png') });
  assert.deepEqual(errors, []);
});

test('a histogram_quantile node of the query opens the explainer on its series', async () => {
  const { page, errors } = app.browser;
  await explain(page, 'histogram_quantile(0.5, rate(lat_bucket[5m]))');
  await page.click('#explain-tree .hq-open');
  await page.waitForFunction(() => document.querySelector('#hq-series option')?.textContent === '{job="api"}');
  assert.equal(await page.textContent('#hq-value'), '1.375');
  await page.screenshot({ path: join(artifacts, 'explain-hq.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
