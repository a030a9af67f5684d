// What every end-to-end file starts from: the release build served on a free port, a headless
// Chromium on it, and the folder screenshots go to; all closed again after the file's tests.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';

export const dist = process.env.PROMPLAY_DIST ?? new URL('../../dist', import.meta.url).pathname;
export const artifacts = process.env.PROMPLAY_ARTIFACTS ?? new URL('../../target/e2e', import.meta.url).pathname;

// Registers the file's before/after hooks. The object it returns holds `server` and `browser`
// once the before hook has run; `setup(app)` runs last in that hook. (A file's own `before`
// may start before this one has finished, so anything that needs the app goes in `setup`.)
export function openApp(viewport, setup = async () => {}) {
  const app = {};
  before(async () => {
    app.server = await serveDist(dist);
    app.browser = await launch(viewport);
    await mkdir(artifacts, { recursive: true });
    await setup(app);
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}
