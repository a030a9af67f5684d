// Remote mode in Chromium against a real Prometheus 2.42 (tests/e2e/prometheus.mjs, the dataset
// tests/remote/data.om backfilled) that allows this page's origin: connect (the status names the
// version), completion from the server's names, an import in chunks with progress, queries run
// locally equal to the server's answers, and the Compare view finding no difference for every
// query of tests/remote/queries.txt (instant and range). Then the error paths, each with a plain
// message and the store and data pane unchanged: nothing listening, CORS refused (a second
// Prometheus that allows another origin), 4xx, 5xx and malformed JSON (a stub server that sends
// CORS headers), a limit exceeded mid-import, the series limit, and Cancel. Credentials never
// reach the copied link or localStorage.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { startPrometheus, DATA, DATA_START, DATA_END } from './prometheus.mjs';
import { openApp, artifacts } from './harness.mjs';

// The queries the CLI's tests compare too: `instant TIME QUERY` or `range START END STEP QUERY`.
const QUERIES = (await readFile(new URL('../remote/queries.txt', import.meta.url), 'utf8'))
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [kind, ...rest] = l.split(' ');
    if (kind === 'instant') return { kind, time: rest[0], expr: rest.slice(1).join(' ') };
    return { kind, start: Number(rest[0]), end: Number(rest[1]), step: Number(rest[2]), expr: rest.slice(3).join(' ') };
  });

const TOKEN = 'tok-SECRET-4711';
const USER = 'alice-user';
const PASSWORD = 'pa55-SECRET-0815';
// The page's own data while the error paths run: the sample it opens with.
const SAMPLE_QUERY_COUNT = '4 series';

let prom;
let refusing;
let stub;
let closedPort;
const app = openApp({ width: 1400, height: 1000 }, async () => {
  const origin = new URL(app.server.url).origin;
  // This page's origin, exactly (a regex, fully anchored by Prometheus).
  prom = await startPrometheus({ cors: origin.replace(/\./g, '\\.') });
  refusing = await startPrometheus({ cors: 'https://only\\.example' });
  stub = await startStub();
  closedPort = await freePort();
});

/// A Prometheus look-alike that always sends CORS headers; each path answers as `stub.routes`
/// says (status, body, content type, delay), and every request's Authorization and tenant
/// (Mimir's X-Scope-OrgID, which it allows as a gateway in front of Mimir would) are recorded.
async function startStub() {
  const state = { routes: {}, seen: [] };
  const srv = createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, X-Scope-OrgID');
    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    state.seen.push({ path: url.pathname, query: url.search, authorization: req.headers.authorization, tenant: req.headers['x-scope-orgid'] });
    const r = state.routes[url.pathname] ?? { status: 404, body: '{"status":"error","errorType":"not_found","error":"no such path"}' };
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(r.status, { 'content-type': r.type ?? 'application/json' });
      res.end(r.body);
    };
    if (r.delay) setTimeout(send, r.delay).unref(); else send();
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${srv.address().port}`;
  state.close = () => new Promise((r) => { srv.closeAllConnections(); srv.close(r); });
  state.reset = () => {
    state.seen = [];
    state.routes = {
      '/api/v1/status/buildinfo': { status: 200, body: '{"status":"success","data":{"version":"9.9.9-stub","revision":"x"}}' },
      '/api/v1/label/__name__/values': { status: 200, body: '{"status":"success","data":["stub_metric"]}' },
      '/api/v1/labels': { status: 200, body: '{"status":"success","data":["__name__","job"]}' },
      '/api/v1/series': { status: 200, body: '{"status":"success","data":[{"__name__":"stub_metric","job":"a"}]}' },
      '/api/v1/query': {
        status: 200,
        body: '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"stub_metric","job":"a"},"values":[[1700000000.5,"1"],[1700000015.5,"2"]]}]}}',
      },
      '/api/v1/metadata': { status: 200, body: '{"status":"success","data":{}}' },
    };
  };
  state.reset();
  return state;
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

after(async () => {
  await prom?.close();
  await refusing?.close();
  await stub?.close();
});

const text = (page, sel) => page.textContent(sel).then((t) => t.trim());

/// The page as a first visit shows it: the sample data and query (an earlier test's workspace,
/// saved in localStorage, is forgotten).
async function fresh(page) {
  await page.goto(app.server.url);
  await settled(page);
  // Nothing of the first load may still be in flight when the page reloads.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await settled(page);
}

async function settled(page) {
  await page.waitForSelector('#result-count');
  await page.waitForFunction(() => !document.querySelector('#running'));
}

/// Errors the browser logs for requests these tests make fail on purpose.
function unexpected(errors) {
  const expected = [
    /Failed to load resource/,
    /blocked by CORS policy/,
    new RegExp(`request failed: (${[refusing.url, stub.url, `http://127.0.0.1:${closedPort}`].map((u) => u.replace(/[.]/g, '\\.')).join('|')})`),
    // The real Prometheus refuses the tenant header's preflight (a connection-failure case).
    new RegExp(`request failed: ${prom.url.replace(/[.]/g, '\\.')}/api/v1/status/buildinfo`),
  ];
  return errors.filter((e) => !expected.some((re) => re.test(e)));
}

async function connect(page, url) {
  await page.click('#view-remote');
  await page.fill('#remote-url', url);
  await page.click('#remote-connect');
  await page.waitForFunction(() => {
    const s = document.querySelector('#remote-status');
    return s && !s.textContent.startsWith('Connecting');
  });
  return text(page, '#remote-status');
}

async function importWindow(page, { selectors, start, end, chunk = '', maxSeries = '', maxSamples = '' }) {
  await page.click('#view-remote');
  await page.fill('#remote-selectors', selectors);
  await page.check('#remote-use-range');
  await page.fill('#remote-start', String(start));
  await page.fill('#remote-end', String(end));
  await page.fill('#remote-chunk', chunk);
  await page.fill('#remote-max-series', maxSeries);
  await page.fill('#remote-max-samples', maxSamples);
  await page.click('#remote-import');
  await page.waitForSelector('#remote-import-status');
  await page.waitForSelector('#remote-progress[aria-busy="false"]');
  return text(page, '#remote-import-status');
}

/// Runs one query of queries.txt in the Query view with its times, then compares it; returns
/// the comparison's element id (`remote-equal`, `remote-diff`, `remote-compare-error`) and text.
async function compare(page, q) {
  await page.click('#view-query');
  await page.fill('#query-input', q.expr);
  if (q.kind === 'instant') {
    await page.click('#tab-table');
    await page.fill('#eval-time', q.time);
  } else {
    await page.click('#tab-graph');
    await page.fill('#range-end', String(q.end));
    await page.fill('#range-span', `${Math.round(q.end - q.start)}s`);
    await page.fill('#range-step', `${q.step}s`);
  }
  await page.click('#view-remote');
  await page.evaluate(() => { document.querySelector('#remote-compare-out').innerHTML = ''; });
  await page.click('#remote-compare');
  await page.waitForFunction(() => {
    const out = document.querySelector('#remote-compare-out');
    return out.getAttribute('aria-busy') === 'false' && out.querySelector('#remote-equal, #remote-diff, #remote-compare-error');
  });
  const el = await page.$('#remote-compare-out > *');
  return { id: await el.getAttribute('id'), text: (await el.textContent()).trim() };
}

/// The state the error paths must leave alone: the data pane's text, its summary, and the
/// result of the sample's query run on the worker's store.
async function snapshot(page) {
  await page.click('#view-query');
  await page.click('#tab-table');
  await page.click('#run-button');
  await settled(page);
  return {
    data: await page.inputValue('#data-input'),
    summary: await text(page, '#data-status'),
    count: await text(page, '#result-count'),
  };
}

test('connect, complete from the server, import in chunks, and no difference on 32 queries', async () => {
  const { page, errors } = app.browser;
  await fresh(page);

  // A bearer token goes along (Prometheus ignores it; the preflight allows Authorization).
  await page.click('#view-remote');
  await page.selectOption('#remote-auth', 'bearer');
  await page.fill('#remote-token', TOKEN);
  const status = await connect(page, `${prom.url}/`);
  assert.match(status, new RegExp(`^Connected to ${prom.url.replace(/\./g, '\\.')}: Prometheus 2\\.42\\.0`));
  // The server's names arrive for completion.
  await page.waitForFunction(() => /metric names and \d+ label names complete/.test(document.querySelector('#remote-status').textContent));

  // Completion: the sample data has no prometheus_* metric, the server has.
  await page.click('#view-query');
  await page.fill('#query-input', '');
  await page.type('#query-input', 'prometheus_http_req');
  await page.waitForFunction(() => [...document.querySelectorAll('#completions .completion')]
    .some((li) => li.querySelector('.c-label').textContent === 'prometheus_http_requests_total'));
  const item = await page.$$eval('#completions .completion', (l) => l.map((li) => [li.querySelector('.c-label').textContent, li.querySelector('.c-detail').textContent]));
  assert.deepEqual(item.find((i) => i[0] === 'prometheus_http_requests_total'), ['prometheus_http_requests_total', 'on the server']);
  // A label's values are fetched when first wanted.
  await page.fill('#query-input', '');
  await page.type('#query-input', 'up{job="no');
  await page.waitForFunction(() => [...document.querySelectorAll('#completions .c-label')].some((l) => l.textContent === 'node'));
  await page.keyboard.press('Escape');
  await page.fill('#query-input', 'up');

  // Import everything over the dataset's span (24.8 minutes) in 5-minute chunks: 5 requests,
  // with progress.
  await page.click('#view-remote');
  const before = await page.inputValue('#data-input');
  const progress = [];
  await page.exposeFunction('recordProgress', (t) => progress.push(t));
  await page.evaluate(() => {
    const el = document.querySelector('#remote-progress');
    new MutationObserver(() => window.recordProgress(el.textContent)).observe(el, { childList: true, subtree: true, characterData: true });
  });
  const imported = await importWindow(page, { selectors: '{__name__=~".+"}', start: DATA_START, end: DATA_END, chunk: '5m' });
  const samples = (await readFile(DATA, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#')).length;
  assert.match(imported, new RegExp(`^Imported 103 series, ${samples.toLocaleString('en-US')} samples from `));
  assert.equal(await text(page, '#remote-progress'), `chunk 5 of 5 · 103 series · ${samples.toLocaleString('en-US')} samples`);
  assert.ok(progress.some((p) => /^chunk [1-4] of 5 · /.test(p)), `progress seen: ${progress.join(' | ')}`);
  console.log(`import progress: ${progress.join(' | ')}`);
  // The data pane holds the imported samples as OpenMetrics; queries run on them at once.
  const data = await page.inputValue('#data-input');
  assert.notEqual(data, before);
  assert.match(data, /\n# EOF\n?$/);
  assert.match(data, /^up\{instance="127\.0\.0\.1:19100",job="node"\} 1(\.0)? 1795277\d{3}\.\d{3}$/m);
  await page.click('#view-query');
  await settled(page);
  assert.match(await text(page, '#data-status'), new RegExp(`${samples} samples with their own timestamps`));

  // A query run here gives the server's answer: the table against /api/v1/query.
  await page.fill('#query-input', 'sum by (job) (up)');
  await page.fill('#eval-time', '1795278000.5');
  await page.click('#run-button');
  await settled(page);
  const local = await page.$$eval('#results .result-row', (rows) => rows.map((r) => [r.querySelector('.result-labels').textContent, Number(r.querySelector('.result-value').textContent)]));
  const answer = await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('sum by (job) (up)')}&time=1795278000.5`)).json();
  const remote = answer.data.result.map((s) => [`{job="${s.metric.job}"}`, Number(s.value[1])]);
  assert.equal(local.length, remote.length);
  assert.ok(local.length >= 3, `jobs: ${JSON.stringify(local)}`);
  assert.deepEqual([...local].sort(), [...remote].sort());

  // Every query of queries.txt: no difference, instant and range.
  const instants = QUERIES.filter((q) => q.kind === 'instant');
  const ranges = QUERIES.filter((q) => q.kind === 'range');
  assert.ok(QUERIES.length >= 20 && ranges.length >= 5, `${QUERIES.length} queries, ${ranges.length} range`);
  const results = [];
  for (const q of [...instants, ...ranges]) {
    const r = await compare(page, q);
    results.push([q.kind, q.expr, r.id, r.text]);
  }
  const different = results.filter((r) => r[2] !== 'remote-equal');
  assert.deepEqual(different, [], `differences:\n${different.map((r) => r.join(' | ')).join('\n')}`);
  console.log(`compare: ${results.length} queries (${instants.length} instant, ${ranges.length} range) equal`);
  assert.match(results.at(-1)[3], /^Equal: \d+ series here and on the server.*range query from /);
  await page.screenshot({ path: join(artifacts, 'remote-compare.png'), fullPage: true });

  // A difference is shown: a function Prometheus 2.42 lacks fails there only.
  const diff = await compare(page, { kind: 'instant', time: '1795278600.5', expr: 'sort_by_label(up, "instance")' });
  assert.equal(diff.id, 'remote-diff');
  assert.match(diff.text, /On the server: .*bad_data.*sort_by_label/);
  // And values that differ: ten minutes of one series set to 0 in the data pane.
  await page.click('#view-query');
  const changed = data.replace(/^(up\{instance="127\.0\.0\.1:19100",job="node"\}) 1(\.0)? (1795278[0-5]\d\d\.\d{3})$/gm, '$1 0 $3');
  assert.notEqual(changed, data);
  // As a paste does (typing a megabyte through page.fill takes minutes).
  await page.evaluate((text) => {
    const el = document.querySelector('#data-input');
    el.value = text;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, changed);
  const value = await compare(page, { kind: 'range', start: 1795277700.5, end: 1795278840.5, step: 30, expr: 'up{instance="127.0.0.1:19100",job="node"}' });
  assert.equal(value.id, 'remote-diff');
  assert.match(value.text, /Different values \(\d+\)/);
  assert.match(await text(page, '.remote-values tbody tr'), /instance="127\.0\.0\.1:19100".*job="node".*Z\s*0\s*1$/s);
  await page.screenshot({ path: join(artifacts, 'remote-diff.png'), fullPage: true });
  // The one error logged is the server's 400 for sort_by_label.
  assert.deepEqual(unexpected(errors), []);
});

test('credentials and tenant go to the server, stay in memory, and Disconnect forgets them', async () => {
  const { page, errors } = app.browser;
  await fresh(page);
  await page.click('#view-remote');
  await page.selectOption('#remote-auth', 'basic');
  await page.fill('#remote-user', USER);
  await page.fill('#remote-password', PASSWORD);
  await page.fill('#remote-tenant', 'team-a|team-b');
  stub.reset();
  assert.match(await connect(page, stub.url), /^Connected to .* as tenant team-a\|team-b: Prometheus 9\.9\.9-stub/);
  // Basic auth and the tenant went to the server they were typed for, on every request.
  assert.equal(stub.seen[0].authorization, `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
  await page.waitForFunction(() => /label names complete/.test(document.querySelector('#remote-status').textContent));
  assert.deepEqual(stub.seen.map((r) => r.tenant), stub.seen.map(() => 'team-a|team-b'));
  await page.fill('#remote-tenant', '');
  await page.selectOption('#remote-auth', 'bearer');
  await page.fill('#remote-token', TOKEN);
  await page.click('#remote-connect');
  await page.waitForFunction(() => document.querySelector('#remote-status')?.textContent.startsWith('Connected'));
  assert.equal(stub.seen.at(-1).authorization, `Bearer ${TOKEN}`);
  assert.equal(stub.seen.at(-1).tenant, undefined);
  // A run saves the workspace; Copy link writes it into the URL.
  await page.click('#view-query');
  await page.click('#run-button');
  await settled(page);
  await page.click('#copy-link');
  await page.waitForSelector('#share-status');
  const url = page.url();
  const fragment = url.split('#w=')[1];
  assert.ok(fragment, url);
  const workspace = inflateRawSync(Buffer.from(fragment, 'base64url')).toString('utf8');
  assert.match(workspace, /"query":/);
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  assert.match(stored, /promplay\.workspace/);
  for (const secret of [TOKEN, PASSWORD, USER, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
    assert.ok(!url.includes(secret) && !workspace.includes(secret), `${secret} in the link`);
    assert.ok(!stored.includes(secret), `${secret} in localStorage`);
  }
  // A reload forgets them.
  await page.reload();
  await settled(page);
  await page.click('#view-remote');
  assert.equal(await page.inputValue('#remote-token'), '');
  assert.equal(await page.inputValue('#remote-password'), '');
  assert.ok(await page.isDisabled('#remote-disconnect'));

  // Disconnect forgets the connection, the server's names and the secrets; the URL stays.
  await page.selectOption('#remote-auth', 'basic');
  await page.fill('#remote-user', USER);
  await page.fill('#remote-password', PASSWORD);
  assert.match(await connect(page, stub.url), /^Connected to /);
  await page.waitForFunction(() => /label names complete/.test(document.querySelector('#remote-status').textContent));
  const offered = () => page.$$eval('#completions .c-label', (l) => l.map((x) => x.textContent));
  await page.click('#view-query');
  await page.fill('#query-input', '');
  await page.type('#query-input', 'stub_');
  await page.waitForFunction(() => [...document.querySelectorAll('#completions .c-label')].some((l) => l.textContent === 'stub_metric'));
  await page.keyboard.press('Escape');
  await page.click('#view-remote');
  await page.click('#remote-disconnect');
  await page.waitForFunction(() => !document.querySelector('#remote-status'));
  assert.ok(await page.isDisabled('#remote-disconnect'));
  assert.equal(await page.inputValue('#remote-password'), '');
  assert.equal(await page.inputValue('#remote-url'), stub.url);
  await page.fill('#remote-selectors', 'stub_metric');
  await page.click('#remote-import');
  assert.equal(await text(page, '#remote-import-status'), 'Connect to a server first.');
  await page.click('#view-query');
  await page.fill('#query-input', '');
  await page.type('#query-input', 'stub_');
  // The worker's own list comes back within a frame or two; the server's names must not join it.
  await page.waitForTimeout(500);
  assert.ok(!(await offered()).includes('stub_metric'), `${await offered()}`);
  await page.keyboard.press('Escape');
  assert.deepEqual(unexpected(errors), []);
});

test('connection failures are explained and change nothing', async () => {
  const { page, errors } = app.browser;
  await fresh(page);
  const start = await snapshot(page);
  assert.equal(start.count, SAMPLE_QUERY_COUNT);

  const cases = [
    ['nothing listening', `http://127.0.0.1:${closedPort}`, () => {}, /^Could not reach http:\/\/127\.0\.0\.1:\d+: nothing answered\./],
    ['CORS refused', refusing.url, () => {}, /answered, but the browser refused .*\(CORS\).*--web\.cors\.origin='http:\/\/127\\\.0\\\.0\\\.1:\d+'.*Thanos.*Mimir/s],
    ['HTTP 401', stub.url, () => { stub.routes['/api/v1/status/buildinfo'] = { status: 401, body: '{"status":"error","errorType":"unauthorized","error":"missing credentials"}' }; },
      /answered HTTP 401: unauthorized: missing credentials\. Check the credentials\./],
    ['HTTP 503', stub.url, () => { stub.routes['/api/v1/status/buildinfo'] = { status: 503, body: 'upstream connect error', type: 'text/plain' }; },
      /answered HTTP 503: upstream connect error\./],
    ['malformed JSON', stub.url, () => { stub.routes['/api/v1/status/buildinfo'] = { status: 200, body: '{"status":"success","data":{"version":' }; },
      /answered, but it is not a Prometheus API: the answer is not valid JSON/],
    ['an HTML page', stub.url, () => { stub.routes['/api/v1/status/buildinfo'] = { status: 200, body: '<html><body>Sign in</body></html>', type: 'text/html' }; },
      /not a Prometheus API: the answer is an HTML page/],
    // A real Prometheus's CORS answer does not allow Mimir's tenant header.
    ['a tenant header Prometheus does not allow', prom.url, () => tenant('team-a'),
      /^http:\S+ answered, but the browser refused .*\(CORS\): the server allows this page but not the tenant header X-Scope-OrgID\..*leave Tenant empty for it\./s],
    ['a tenant ID Mimir would refuse', prom.url, () => tenant('team a'),
      /^tenant: ' ' in "team a": a tenant ID holds only letters, digits and/],
  ];
  const tenant = async (id) => {
    await page.click('#view-remote');
    await page.fill('#remote-tenant', id);
  };
  for (const [name, url, arrange, expected] of cases) {
    stub.reset();
    await arrange();
    const status = await connect(page, url);
    assert.match(status, expected, name);
    assert.equal(await page.getAttribute('#remote-status', 'class'), 'error', name);
    console.log(`${name}: ${status}`);
    // No server: no import.
    await page.fill('#remote-selectors', 'up');
    await page.click('#remote-import');
    assert.equal(await text(page, '#remote-import-status'), 'Connect to a server first.', name);
  }
  await page.screenshot({ path: join(artifacts, 'remote-cors.png') });
  await tenant('');
  assert.deepEqual(await snapshot(page), start);
  assert.deepEqual(unexpected(errors), []);
});

test('import failures and Cancel leave the store and the data pane as they were', async () => {
  const { page, errors } = app.browser;
  await fresh(page);
  const start = await snapshot(page);
  const window = { selectors: 'stub_metric', start: 1700000000, end: 1700000600 };

  const cases = [
    ['HTTP 400', () => { stub.routes['/api/v1/query'] = { status: 400, body: '{"status":"error","errorType":"bad_data","error":"1:12: parse error: unexpected character"}' }; },
      /^Chunk 1 of 1 \(stub_metric\[600001ms\]\): .*answered HTTP 400: bad_data: 1:12: parse error: unexpected character\. The data is unchanged\.$/],
    ['HTTP 500', () => { stub.routes['/api/v1/query'] = { status: 500, body: 'internal error', type: 'text/plain' }; },
      /answered HTTP 500: internal error\. The data is unchanged\.$/],
    ['malformed JSON', () => { stub.routes['/api/v1/query'] = { status: 200, body: '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{' }; },
      /^Chunk 1 of 1 .*: .*(JSON|line 1).*the data is unchanged$/i],
    ['series check HTTP 502', () => { stub.routes['/api/v1/series'] = { status: 502, body: '{"status":"error","errorType":"unavailable","error":"store gateway down"}' }; },
      /\/api\/v1\/series\?.*answered HTTP 502: unavailable: store gateway down\. The data is unchanged\.$/],
  ];
  for (const [name, arrange, expected] of cases) {
    stub.reset();
    assert.match(await connect(page, stub.url), /^Connected/);
    arrange();
    const status = await importWindow(page, window);
    assert.match(status, expected, name);
    assert.equal(await page.getAttribute('#remote-import-status', 'class'), 'error', name);
    console.log(`${name}: ${status}`);
    assert.deepEqual(await snapshot(page), start, name);
  }

  // Cancel: the chunk's fetch is aborted at once (the stub would answer after 30 s).
  stub.reset();
  await connect(page, stub.url);
  stub.routes['/api/v1/query'].delay = 30_000;
  await page.fill('#remote-selectors', window.selectors);
  await page.click('#remote-import');
  await page.waitForFunction(() => document.querySelector('#remote-progress')?.textContent.startsWith('chunk 0 of'));
  await page.waitForFunction(() => !document.querySelector('#remote-cancel').disabled);
  const t0 = Date.now();
  await page.click('#remote-cancel');
  await page.waitForSelector('#remote-import-status');
  assert.equal(await text(page, '#remote-import-status'), 'Import cancelled. The data is unchanged.');
  assert.ok(Date.now() - t0 < 10_000, 'cancelled without waiting for the answer');
  assert.ok(await page.isEnabled('#remote-import'));
  assert.deepEqual(await snapshot(page), start);
  assert.deepEqual(unexpected(errors), []);
});

test('limits stop an import before or while it downloads, and change nothing', async () => {
  const { page, errors } = app.browser;
  await fresh(page);
  const start = await snapshot(page);
  assert.match(await connect(page, prom.url), /^Connected/);
  // 103 series match: over 50, refused before any sample is fetched.
  const series = await importWindow(page, { selectors: '{__name__=~".+"}', start: DATA_START, end: DATA_END, maxSeries: '50' });
  assert.equal(series, '103 series match the selectors in the window, over the limit of 50: narrow the selectors or the window, or raise the limit. The data is unchanged.');
  assert.equal(await text(page, '#remote-progress'), 'chunk 0 of 1 · 0 series · 0 samples');
  assert.deepEqual(await snapshot(page), start);
  // 3,000 samples at most: each 5-minute chunk brings about 1,900, so the second one passes the
  // limit and the import stops there.
  const samples = await importWindow(page, { selectors: '{__name__=~".+"}', start: DATA_START, end: DATA_END, chunk: '5m', maxSamples: '3000' });
  assert.match(samples, /^Chunk 2 of 5 \(.*\): the import exceeds the sample limit \(3000 samples\): it has reached \d+; .*the data is unchanged$/);
  assert.match(await text(page, '#remote-progress'), /^chunk 1 of 5 · \d+ series · 1,\d{3} samples$/);
  await page.screenshot({ path: join(artifacts, 'remote-limit.png') });
  assert.deepEqual(await snapshot(page), start);
  assert.deepEqual(unexpected(errors), []);
});
