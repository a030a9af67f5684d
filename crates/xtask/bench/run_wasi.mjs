// Runs the range-query benchmark compiled for wasm32-wasip1 in Node's V8 (the engine of
// Chromium), so that native and wasm times come from the same benchmark source.
// usage: node run_wasi.mjs ranges.wasm OUT_DIR [benchmark args...]; OUT_DIR is visible
// to the benchmark as /out (for --tsv /out/wasm.tsv).
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [wasmPath, outDir, ...args] = argv.slice(2);
if (!wasmPath || !outDir) {
  console.error('usage: node run_wasi.mjs ranges.wasm OUT_DIR [args...]');
  exit(2);
}
const wasi = new WASI({ version: 'preview1', args: ['ranges', ...args], env: {}, preopens: { '/out': outDir } });
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
