// Starts a real Prometheus (Debian's `prometheus`, 2.42) for the remote-mode tests: the
// committed dataset tests/remote/data.om is backfilled with `promtool tsdb create-blocks-from
// openmetrics` into a temporary directory, and the server listens on a free 127.0.0.1 port.
// The Rust harness (crates/cli/tests/common/prometheus.rs) does the same for the CLI tests.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, open, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const DATA = new URL('../remote/data.om', import.meta.url).pathname;
/// The dataset's span (unix seconds): its first and last samples, for windows and query times.
export const DATA_START = 1795277387.266;
export const DATA_END = 1795278875.579;

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts Prometheus on the dataset.
 * @param {{cors?: string, data?: string}} options `cors` is the `--web.cors.origin` regex
 *   (Prometheus's own default, `.*`, when not given: every origin is allowed; pass e.g.
 *   'https://only\\.example' to have the browser's requests refused); `data` another
 *   OpenMetrics file.
 * @returns {Promise<{url: string, close: () => Promise<void>, log: () => Promise<string>}>}
 */
export async function startPrometheus({ cors, data = DATA } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'promplay-prometheus-'));
  const tsdb = join(dir, 'data');
  try {
    await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', data, tsdb], { maxBuffer: 16 << 20 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`promtool could not backfill ${data}: ${e.stderr || e.message}`);
  }
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${tsdb}`,
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  if (cors !== undefined) args.push(`--web.cors.origin=${cors}`);
  const logPath = join(dir, 'prometheus.log');
  const logFile = await open(logPath, 'w');
  const proc = spawn(PROMETHEUS, args, { cwd: dir, stdio: ['ignore', logFile.fd, logFile.fd] });
  let exited = null;
  const exit = new Promise((resolve) => proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(); }));
  const log = async () => {
    try { return await readFile(logPath, 'utf8'); } catch { return ''; }
  };
  const close = async () => {
    if (exited === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => { if (exited === null) proc.kill('SIGKILL'); }, 10_000);
      await exit;
      clearTimeout(timer);
    }
    await logFile.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) {
      const text = await log();
      await close();
      throw new Error(`prometheus exited (${JSON.stringify(exited)}):\n${text.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const text = await log();
      await close();
      throw new Error(`prometheus not ready after 30 s:\n${text.slice(-3000)}`);
    }
    await sleep(50);
  }
  return { url, close, log };
}
