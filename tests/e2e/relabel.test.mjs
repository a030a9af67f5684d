// The Relabel view in Chromium: target mode on the built-in Kubernetes example (drops, final
// labels, the per-rule trace), a YAML error at its line:col, and metric mode over loaded data
// and over a pasted scrape, with counts taken from the answers of a real Prometheus
// (tests/relabel/metric_golden.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, artifacts } from './harness.mjs';

const golden = JSON.parse(await readFile(new URL('../relabel/metric_golden.json', import.meta.url), 'utf8'));
const TARGET_LABELS = '{job: oracle, instance: "oracle-target:9100"}';

const app = openApp({ width: 1400, height: 900 });

/// Waits until the worker answered the last relabel run.
async function relabeled(page) {
  await page.waitForSelector('#relabel-output[aria-busy="false"]');
}

async function openRelabel(page) {
  await page.goto(app.server.url);
  await page.click('#view-relabel');
  // The first opening loads the Kubernetes example and runs it.
  await page.waitForSelector('#relabel-counts');
  await relabeled(page);
}

const text = (page, sel) => page.textContent(sel).then((t) => t.trim());

test('target mode on the Kubernetes example: drops, final labels and the trace', async () => {
  const { page, errors } = app.browser;
  await openRelabel(page);
  assert.equal(await page.isVisible('#query-input'), false, 'the Query view is hidden');
  assert.match(await page.inputValue('#relabel-rules'), /job_name: kubernetes-pods/);
  assert.equal(await text(page, '#relabel-counts'), '8 targets: 3 kept, 5 dropped, 0 refused · click a row for its trace');
  // A prometheus.yml with two jobs: the picker offers both, the first is used.
  assert.deepEqual(await page.$$eval('#relabel-job option', (o) => o.map((x) => x.value)), ['kubernetes-pods', 'node']);
  const rows = await page.$$('#relabel-results .relabel-row');
  assert.equal(rows.length, 8);
  // Row 1: annotated, shard 0: kept, its address rewritten to the annotated port.
  const first = await page.$$eval('#relabel-results .relabel-row:nth-child(1) .relabel-after li', (l) => l.map((x) => x.textContent));
  assert.deepEqual(first, [
    'app="api"', 'instance="10.2.0.11:9102"', 'job="kubernetes-pods"', 'namespace="shop"',
    'pod="api-7d9f8-x2k4q"', 'team="checkout"', 'version="v2.3"',
  ]);
  // Row 4: redis says prometheus.io/scrape: "false": dropped by the first rule.
  const redis = '#relabel-results .relabel-row:nth-child(4)';
  assert.match(await page.getAttribute(redis, 'class'), /\bdropped\b/);
  assert.equal(await page.getAttribute(redis, 'data-rule'), '1');
  assert.match(await text(page, `${redis} .relabel-before`), /pod_name="redis-0"/);
  assert.equal(await text(page, `${redis} .relabel-after`), 'dropped by rule 1 (keep, line 13)');
  // Row 2: the other shard's pod: the keep after hashmod.
  assert.equal(await text(page, '#relabel-results .relabel-row:nth-child(2) .relabel-after'), 'dropped by rule 9 (keep, line 41)');

  // The trace of row 1: nine rules, the address rewrite at rule 4, then what Prometheus does.
  await page.click('#relabel-results .relabel-row:nth-child(1) .relabel-before');
  await page.waitForSelector('#relabel-trace .trace-step');
  assert.equal(await page.$$eval('#relabel-trace .trace-step', (l) => l.length), 9);
  const step4 = await text(page, '#relabel-trace .trace-step:nth-child(4)');
  assert.match(step4, /__address__="10\.2\.0\.11:8080" → "10\.2\.0\.11:9102"/);
  assert.match(await text(page, '#relabel-trace .trace-step:nth-child(5)'), /\+app="api"/);
  assert.match(await text(page, '#relabel-trace'), /removes the labels starting with __/);
  assert.match(await text(page, '#relabel-final'), /instance="10\.2\.0\.11:9102"/);
  await page.screenshot({ path: join(artifacts, 'relabel-targets.png'), fullPage: true });

  // A dropped target's trace ends at the rule that dropped it.
  await page.click(`${redis} .relabel-before`);
  await page.waitForSelector('#relabel-trace .trace-step.dropped');
  assert.equal(await page.$$eval('#relabel-trace .trace-step', (l) => l.length), 1);

  // The other job of the file.
  await page.selectOption('#relabel-job', 'node');
  await relabeled(page);
  await page.waitForFunction(() => document.querySelector('#relabel-output details summary')?.textContent.includes('node'));
  assert.deepEqual(errors, []);
});

test('a YAML error is shown at its line:col and the text stays', async () => {
  const { page, errors } = app.browser;
  await openRelabel(page);
  const bad = '- source_labels: [a]\n  target_label: b\n- source_labels: [a]\n  target_label: shard\n  action: hashmod\n';
  await page.fill('#relabel-rules', bad);
  await page.click('#relabel-run');
  await page.waitForSelector('#relabel-error');
  assert.equal(await text(page, '#relabel-error'), 'rules: 5:11: relabel configuration for hashmod requires non-zero modulus');
  assert.equal(await page.inputValue('#relabel-rules'), bad);
  assert.match(await page.getAttribute('#relabel-rules', 'class'), /\binvalid\b/);
  // Fixed, the error goes and the targets are relabeled.
  await page.fill('#relabel-rules', bad.replace('action: hashmod', 'action: hashmod\n  modulus: 4'));
  await page.press('#relabel-rules', 'Control+Enter');
  await relabeled(page);
  await page.waitForSelector('#relabel-error', { state: 'detached' });
  assert.match(await text(page, '#relabel-counts'), /^8 targets: 8 kept/);
  assert.deepEqual(errors, []);
});

test('metric mode over the loaded data: the [__name__, le] bucket drop, then queried', async () => {
  const { page, errors } = app.browser;
  const c = golden.cases.find((x) => x.name === 'classic _bucket drop by [__name__, le]');
  const bucket = 'prometheus_http_request_duration_seconds_bucket';
  const storedBuckets = c.series.filter((s) => s.labels.__name__ === bucket).length;
  await page.goto(app.server.url);
  await page.fill('#data-input', c.exposition);
  await page.click('#view-relabel');
  await page.waitForSelector('#relabel-counts');
  await page.click('#relabel-mode-metric');
  await relabeled(page);
  await page.fill('#relabel-rules', c.metric_relabel_configs);
  await page.fill('#relabel-target-labels', TARGET_LABELS);
  await page.click('#relabel-run');
  await relabeled(page);
  await page.waitForSelector('#relabel-summary');
  // Prometheus's own scrape counters for this scrape: 211 scraped, 169 after relabeling.
  assert.equal(Number(await text(page, '#relabel-total')), c.scrape.scrape_samples_scraped);
  assert.equal(Number(await text(page, '#relabel-stored')), c.scrape.scrape_samples_post_metric_relabeling);
  assert.equal(Number(await text(page, '#relabel-dropped')), c.scrape.scrape_samples_scraped - c.scrape.scrape_samples_post_metric_relabeling);
  assert.equal(await text(page, '#relabel-collided'), '0');
  const perMetric = await page.$$eval('#relabel-per-metric tbody tr', (rows) => rows.map((r) => [...r.cells].map((td) => td.textContent)));
  const row = perMetric.find((r) => r[0] === bucket);
  assert.ok(Number(row[1]) > storedBuckets, `before ${row[1]}`);
  assert.equal(Number(row[2]), storedBuckets);
  const dropped = await page.$$eval('#relabel-results .relabel-row.dropped', (l) => l.map((r) => [r.querySelector('.relabel-before').textContent, r.dataset.rule]));
  assert.equal(dropped.length, 42);
  assert.ok(dropped.every(([labels, rule]) => /le="0\.\d+"/.test(labels) && rule === '1'), dropped[0]);
  await page.screenshot({ path: join(artifacts, 'relabel-metric.png'), fullPage: true });

  // Loaded into the store, the Query view runs on the relabeled series.
  await page.click('#relabel-apply');
  await page.waitForSelector('#relabel-applied');
  await page.click('#view-query');
  await page.fill('#query-input', `count(${bucket})`);
  await page.click('#run-button');
  await page.waitForFunction(() => !document.querySelector('#running'));
  await page.waitForFunction((n) => document.querySelector('.result-row')?.textContent.includes(String(n)), storedBuckets);
  assert.deepEqual(errors, []);
});

test('metric mode over a pasted scrape: labeldrop makes series collide, the first one is stored', async () => {
  const { page, errors } = app.browser;
  const c = golden.cases.find((x) => x.name.startsWith('labeldrop device'));
  await openRelabel(page);
  await page.click('#relabel-mode-metric');
  await relabeled(page);
  await page.check('#relabel-source-pasted');
  await page.fill('#relabel-exposition', c.exposition);
  await page.fill('#relabel-rules', c.metric_relabel_configs);
  await page.fill('#relabel-target-labels', TARGET_LABELS);
  await page.click('#relabel-run');
  await relabeled(page);
  await page.waitForSelector('#relabel-collisions');
  assert.equal(Number(await text(page, '#relabel-total')), c.scrape.scrape_samples_scraped);
  assert.equal(Number(await text(page, '#relabel-stored')), c.series.length);
  assert.equal(Number(await text(page, '#relabel-collided')), c.scrape.scrape_samples_scraped - c.series.length);
  // Each group names the stored series; its value is the one Prometheus stored.
  const groups = await page.$$eval('#relabel-collisions li.collision', (l) => l.map((g) => ({
    labels: g.querySelector('.collision-labels').textContent,
    kept: g.querySelector('.collision-kept').textContent,
    lost: g.querySelectorAll('.collision-lost').length,
  })));
  assert.ok(groups.length > 0);
  assert.equal(groups.reduce((n, g) => n + g.lost, 0), c.scrape.scrape_samples_scraped - c.series.length);
  const g = groups[0];
  assert.match(g.kept, /^stored: /);
  assert.ok(!g.labels.includes('device='), g.labels);
  await page.screenshot({ path: join(artifacts, 'relabel-collisions.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
