// Workshop mode in Chromium: a custom lesson opened from a link (its text compressed in the
// fragment) and a built-in one (`#lesson=<id>`), a wrong answer with the worker's specific
// feedback, the right one accepted, progress kept over a reload and forgotten by Reset, hints
// and the solution, a lesson with a mistake reported at its line:col, and presenter mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { openApp, artifacts } from './harness.mjs';

const LESSON = `---
id: e2e-custom
title: A lesson from a link
---

# Targets

Every scrape target gets an **up** series: 1 when the scrape worked.

\`\`\`promql
up
\`\`\`

\`\`\`data
up{job="api",instance="a"} 1
up{job="api",instance="b"} 0
up{job="db",instance="c"} 1
\`\`\`

\`\`\`exercise
id: down
title: Targets that are down
task: Select the targets whose \`up\` is **0**.
start: up
solution: up == 0
hints:
  - A comparison operator filters series.
\`\`\`

\`\`\`exercise
id: per-job
title: Healthy targets per job
task: Add up \`up\` **per job**.
solution: sum by (job) (up)
\`\`\`
`;

// As the page's compress.js packs it: raw deflate, base64url without padding.
const LINK = `#lesson-text=${deflateRawSync(Buffer.from(LESSON)).toString('base64url')}`;

const app = openApp({ width: 1400, height: 900 });

const text = (page, sel) => page.textContent(sel).then((t) => t.trim());

/// Loads the page afresh on `fragment` and waits until the lesson is drawn and its data is
/// loaded (Check enabled). By way of a blank page: a change of the fragment alone does not load.
async function openLesson(page, fragment, title, firstExercise) {
  await page.goto('about:blank');
  await page.goto(app.server.url + fragment);
  await page.waitForFunction((t) => document.querySelector('#lesson-title')?.textContent === t, title);
  await page.waitForSelector(`#lesson-check-${firstExercise}:not([disabled])`);
}

/// Waits until the overview shows every built-in lesson with its exercise count (each lesson is
/// fetched and parsed for it; leaving the page earlier would abort those requests).
async function overviewLoaded(page) {
  await page.waitForSelector('#lesson-list');
  await page.waitForFunction(() => {
    const items = document.querySelectorAll('#lesson-list > li');
    return items.length > 0 && document.querySelectorAll('#lesson-list .lesson-count').length === items.length;
  });
}

/// Types an answer and checks it; resolves when the verdict is in. The last verdict is wiped
/// first, so it cannot be mistaken for the new one.
async function check(page, id, answer) {
  await page.fill(`#lesson-answer-${id}`, answer);
  await page.$eval(`#exercise-${id} .exercise-status`, (e) => { e.innerHTML = ''; });
  await page.click(`#lesson-check-${id}`);
  await page.waitForSelector(`#lesson-feedback-${id}, #lesson-passed-${id}`);
  await page.waitForSelector(`#lesson-check-${id}:not([disabled])`);
}

test('a custom lesson from a link: feedback, acceptance, progress over reloads, reset', async () => {
  const { page, errors } = app.browser;
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  assert.equal(await page.isVisible('#data-input'), false, 'the data pane gives way to the lesson');
  assert.equal(await text(page, '#lesson-progress'), '0 / 2 exercises done');
  // The worker rendered the Markdown: emphasis as HTML, not asterisks.
  assert.equal(await text(page, '.lesson-prose strong'), 'up');
  assert.match(await text(page, '#lesson-data'), /the lesson's own data/);
  // An example runs in the query editor beside the lesson, on the lesson's data.
  await page.click('.lesson-run');
  await page.waitForFunction(() => document.querySelector('#result-count')?.textContent === '3 series');
  assert.equal(await page.inputValue('#query-input'), 'up');
  // The first exercise starts from its `start`; the second from nothing.
  assert.equal(await page.inputValue('#lesson-answer-down'), 'up');
  assert.equal(await page.inputValue('#lesson-answer-per-job'), '');

  await check(page, 'per-job', 'sum by (job) (up{job="api"})');
  assert.equal(await text(page, '#lesson-feedback-per-job'), '1 series missing: {job="db"}');
  assert.equal(await page.$('#lesson-passed-per-job'), null);
  // The learner's own result is shown under the verdict.
  assert.match(await text(page, '#lesson-result-per-job'), /\{job="api"\}\s*1/);

  await check(page, 'per-job', 'sum by (job) (up)');
  assert.match(await text(page, '#lesson-passed-per-job'), /^Correct!/);
  assert.equal(await page.$('#lesson-feedback-per-job'), null);
  assert.match(await page.getAttribute('#exercise-per-job', 'class'), /\bdone\b/);
  assert.equal(await text(page, '#lesson-progress'), '1 / 2 exercises done');

  // A parse error in an answer comes back with its position.
  await check(page, 'down', 'up ==');
  assert.match(await text(page, '#lesson-feedback-down'), /your query fails: 1:\d+: parse error/);
  // Hints one at a time, then the solution.
  assert.equal(await text(page, '#lesson-hint-down'), 'Hint (1 of 1)');
  await page.click('#lesson-hint-down');
  await page.waitForSelector('#lesson-hints-down li');
  assert.equal(await text(page, '#lesson-hints-down'), 'A comparison operator filters series.');
  assert.equal(await page.isDisabled('#lesson-hint-down'), true);
  await page.click('#lesson-solution-down');
  assert.equal(await text(page, '#lesson-solution-text-down pre'), 'up == 0');
  await page.screenshot({ path: join(artifacts, 'lesson-custom.png'), fullPage: true });

  // Copy lesson link: the address bar holds the lesson's text (a fresh browser opens it).
  await page.click('#lesson-copy-link');
  await page.waitForSelector('#lesson-link-status');
  assert.match(await text(page, '#lesson-link-status'), /^Lesson link copied/);
  assert.match(page.url(), /#lesson-text=[A-Za-z0-9_-]+$/);

  // A reload keeps what was achieved and the last answers.
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  assert.equal(await text(page, '#lesson-progress'), '1 / 2 exercises done');
  assert.match(await page.getAttribute('#exercise-per-job', 'class'), /\bdone\b/);
  assert.equal(await page.inputValue('#lesson-answer-per-job'), 'sum by (job) (up)');
  assert.equal(await page.inputValue('#lesson-answer-down'), 'up ==');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('promplay.lessons')));
  assert.deepEqual(
    stored.exercises.find((e) => e.exercise === 'per-job'),
    { lesson: 'e2e-custom', exercise: 'per-job', done: true, answer: 'sum by (job) (up)' },
  );

  // Reset restores the start and forgets the exercise's progress, also after a reload.
  await page.click('#lesson-reset-down');
  assert.equal(await page.inputValue('#lesson-answer-down'), 'up');
  assert.equal(await page.$('#lesson-feedback-down'), null);
  await page.click('#lesson-reset-per-job');
  assert.equal(await page.inputValue('#lesson-answer-per-job'), '');
  assert.equal(await text(page, '#lesson-progress'), '0 / 2 exercises done');
  assert.doesNotMatch(await page.getAttribute('#exercise-per-job', 'class'), /\bdone\b/);
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  assert.equal(await text(page, '#lesson-progress'), '0 / 2 exercises done');
  assert.deepEqual(errors, []);
});

test('an exercise editor completes from the lesson data: keys, mouse, Escape, leaving it', async () => {
  const { page, errors } = app.browser;
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  const editor = '#lesson-answer-per-job';
  const list = '#lesson-completions-per-job';
  const labels = () => page.$$eval(`${list} .c-label`, (l) => l.map((x) => x.textContent));
  const open = () => page.waitForSelector(`${list}:not(.hidden) .completion`);
  const closed = () => page.waitForSelector(`${list}.hidden`, { state: 'attached' });
  // A label value of the lesson's own data, taken with Enter.
  await page.click(editor);
  await page.keyboard.type('up{job="a');
  await open();
  assert.deepEqual(await labels(), ['api']);
  await page.keyboard.press('Enter');
  await closed();
  assert.equal(await page.inputValue(editor), 'up{job="api"');
  // A function, chosen with the arrow keys and then the mouse.
  await page.fill(editor, '');
  await page.keyboard.type('count');
  await open();
  const offered = await labels();
  assert.ok(offered.includes('count_over_time') && offered.includes('count_values'), `${offered}`);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.$eval(`${list} .completion.selected .c-label`, (e) => e.textContent), offered[1]);
  await page.click(`${list} .completion:has(.c-label:text-is("count_values"))`);
  await closed();
  assert.match(await page.inputValue(editor), /^count_values\(/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lesson-answer-per-job');
  // Escape closes the list; so does leaving the editor.
  await page.fill(editor, '');
  await page.keyboard.type('su');
  await open();
  await page.keyboard.press('Escape');
  await closed();
  await page.keyboard.type('m');
  await open();
  await page.click('#lesson-title');
  await closed();
  assert.deepEqual(errors, []);
});

test('a built-in lesson from its link, then the course overview', async () => {
  const { page, errors } = app.browser;
  await openLesson(page, '#lesson=selectors', '3. Selectors and matchers', 'not-ok');
  assert.match(await text(page, '#lesson-data'), /^Queries run on the dataset One Prometheus self-scrape /);
  const start = await page.inputValue('#lesson-answer-two-handlers');
  assert.equal(start, 'prometheus_http_requests_total{handler="/api/v1/query"}');
  // The start misses the query_range handler's series.
  await check(page, 'two-handlers', start);
  assert.match(await text(page, '#lesson-feedback-two-handlers'), /^\d+ series missing: .*handler="\/api\/v1\/query_range"/);
  await check(page, 'two-handlers', 'prometheus_http_requests_total{handler=~"/api/v1/query(_range)?"}');
  await page.waitForSelector('#lesson-passed-two-handlers');
  await page.screenshot({ path: join(artifacts, 'lesson-builtin.png') });

  // Kept over a reload of the link.
  await openLesson(page, '#lesson=selectors', '3. Selectors and matchers', 'not-ok');
  assert.match(await page.getAttribute('#exercise-two-handlers', 'class'), /\bdone\b/);
  assert.equal(await text(page, '#lesson-progress'), '1 / 4 exercises done');

  // The overview lists the course with the progress of each lesson.
  await page.click('#lesson-back');
  await overviewLoaded(page);
  assert.equal(await page.$$eval('#lesson-list > li', (l) => l.length), 10);
  assert.equal(await text(page, '#lesson-open-selectors + .lesson-count'), '1 / 4 done');
  assert.equal(await text(page, '#lesson-open-selectors ~ .lesson-exercises .done'), 'Two handlers');
  await page.screenshot({ path: join(artifacts, 'lesson-overview.png') });
  await page.waitForFunction(() => location.hash === '#lessons');
  // And opens a lesson from the menu.
  await page.click('#lesson-open-data-model');
  await page.waitForFunction(() => document.querySelector('#lesson-title')?.textContent.startsWith('1. The data model'));
  await page.waitForFunction(() => location.hash === '#lesson=data-model');
  // Leaving the view takes the lesson out of the address bar.
  await page.click('#view-query');
  assert.equal(await page.isVisible('#data-input'), true);
  await page.waitForFunction(() => location.hash === '');
  assert.deepEqual(errors, []);
});

test('a relabel exercise takes YAML rules', async () => {
  const { page, errors } = app.browser;
  await openLesson(page, '#lesson=relabeling', '8. Relabeling: keep, drop, replace, labelmap, hashmod', 'host-label');
  // The start copies the whole instance, port included: the stored series differ.
  const start = await page.inputValue('#lesson-answer-host-label');
  assert.match(start, /target_label: host/);
  await check(page, 'host-label', start);
  assert.match(await text(page, '#lesson-feedback-host-label'), /series missing: .*host="[0-9.]+"/);
  await check(page, 'host-label', '- source_labels: [instance]\n  regex: "(.+):[0-9]+"\n  target_label: host\n');
  await page.waitForSelector('#lesson-passed-host-label');
  // The rules are YAML, not PromQL: no highlighted copy, no PromQL parse hint.
  assert.equal(await page.$eval('#exercise-host-label .highlight', (e) => e.textContent), '');
  assert.deepEqual(errors, []);
});

test('a pasted lesson with a mistake is reported at its line:col and kept; a file opens', async () => {
  const { page, errors } = app.browser;
  await page.goto(app.server.url);
  await page.click('#view-lessons');
  await overviewLoaded(page);
  const broken = LESSON.replace('solution: up == 0', 'solution: up ==');
  await page.fill('#lesson-paste', broken);
  await page.click('#lesson-paste-open');
  await page.waitForSelector('#lesson-error:not([hidden])');
  assert.match(await text(page, '#lesson-error'), /^\d+:\d+: /);
  assert.equal(await page.inputValue('#lesson-paste'), broken);
  assert.equal(await page.isVisible('#lesson-title'), false);
  // Fixed, it opens.
  await page.fill('#lesson-paste', LESSON);
  await page.click('#lesson-paste-open');
  await page.waitForFunction(() => document.querySelector('#lesson-title')?.textContent === 'A lesson from a link');
  assert.equal(await page.isVisible('#lesson-error'), false);
  // From a file, through the overview's file input.
  await page.click('#lesson-back');
  await page.setInputFiles('#lesson-file', {
    name: 'targets.md', mimeType: 'text/markdown', buffer: Buffer.from(LESSON.replace('A lesson from a link', 'A lesson from a file')),
  });
  await page.waitForFunction(() => document.querySelector('#lesson-title')?.textContent === 'A lesson from a file');
  assert.deepEqual(errors, []);
});

test('an own lesson is listed in the overview, opens again after a reload, and can be removed', async () => {
  const { page, errors } = app.browser;
  const overview = async () => {
    await page.goto('about:blank');
    await page.goto(app.server.url);
    await page.click('#view-lessons');
    await overviewLoaded(page);
  };
  await overview();
  await page.fill('#lesson-paste', LESSON.replace('id: e2e-custom', 'id: e2e-own').replace('A lesson from a link', 'My own lesson'));
  await page.click('#lesson-paste-open');
  await page.waitForSelector('#lesson-check-per-job:not([disabled])');
  await check(page, 'per-job', 'sum by (job) (up)');
  await page.waitForSelector('#lesson-passed-per-job');

  // Listed after the course, with its progress, over a reload.
  await overview();
  await page.waitForSelector('#lesson-own-open-e2e-own');
  assert.equal(await page.$$eval('#lesson-list > li', (l) => l.length), 10, 'the course is unchanged');
  assert.equal(await text(page, '#lesson-own-open-e2e-own'), 'My own lesson');
  assert.equal(await text(page, '#lesson-own-open-e2e-own + .lesson-count'), '1 / 2 done');
  assert.equal(await text(page, '#lesson-own-open-e2e-own ~ .lesson-exercises .done'), 'Healthy targets per job');
  await page.$eval('#own-lesson-list', (e) => e.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: join(artifacts, 'lesson-own-listed.png') });
  // It opens from there, with its answers.
  await page.click('#lesson-own-open-e2e-own');
  await page.waitForFunction(() => document.querySelector('#lesson-title')?.textContent === 'My own lesson');
  await page.waitForSelector('#lesson-check-down:not([disabled])');
  assert.equal(await text(page, '#lesson-progress'), '1 / 2 exercises done');
  assert.equal(await page.inputValue('#lesson-answer-per-job'), 'sum by (job) (up)');

  // Removed, it is gone, also after a reload; its progress stays for when it is opened again.
  await page.click('#lesson-back');
  await page.click('#lesson-own-remove-e2e-own');
  await page.waitForFunction(() => !document.querySelector('#lesson-own-open-e2e-own'));
  await overview();
  assert.equal(await page.$('#lesson-own-open-e2e-own'), null);
  const own = JSON.parse(await page.evaluate(() => localStorage.getItem('promplay.lessons.own')));
  assert.deepEqual(own.lessons.map((l) => l.id).filter((id) => id === 'e2e-own'), []);
  const progress = JSON.parse(await page.evaluate(() => localStorage.getItem('promplay.lessons')));
  assert.ok(progress.exercises.some((e) => e.lesson === 'e2e-own' && e.done));
  assert.deepEqual(errors, []);
});

test('presenter mode enlarges the type and is kept', async () => {
  const { page, errors } = app.browser;
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  const size = (sel) => page.$eval(sel, (e) => parseFloat(getComputedStyle(e).fontSize));
  const [body, prose, editor] = [await size('body'), await size('.lesson-prose'), await size('#lesson-answer-down')];
  await page.click('#presenter');
  assert.equal(await page.getAttribute('#presenter', 'aria-pressed'), 'true');
  assert.ok((await size('body')) >= body * 1.3, 'the body type grows');
  assert.ok((await size('.lesson-prose')) >= prose * 1.3, 'the prose grows');
  assert.ok((await size('#lesson-answer-down')) >= editor * 1.3, 'the editor grows');
  await page.screenshot({ path: join(artifacts, 'lesson-presenter.png') });
  await openLesson(page, LINK, 'A lesson from a link', 'down');
  assert.ok((await size('body')) >= body * 1.3, 'kept over a reload');
  await page.click('#presenter');
  assert.equal(await size('body'), body);
  assert.deepEqual(errors, []);
});
