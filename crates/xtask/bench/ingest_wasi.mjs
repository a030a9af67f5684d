// Runs the ingest benchmark (crates/formats/benches/throughput.rs) compiled for wasm32-wasip1
// in Node's V8, the engine of Chromium, so native and wasm figures come from one source.
// usage: node --single-threaded-gc ingest_wasi.mjs throughput.wasm OUT_DIR [benchmark args...]
// OUT_DIR is visible to the benchmark as /out (the decompressed capture, the --tsv file).
// --single-threaded-gc: Node 20's concurrent marking has crashed (V8_Fatal in
// MarkCompactCollector) when a wasm memory of a few hundred MB grows; the flag avoids it and
// does not touch the wasm code being timed.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [wasmPath, outDir, ...args] = argv.slice(2);
if (!wasmPath || !outDir) {
  console.error('usage: node --single-threaded-gc ingest_wasi.mjs throughput.wasm OUT_DIR [args...]');
  exit(2);
}
const wasi = new WASI({ version: 'preview1', args: ['throughput', ...args], env: {}, preopens: { '/out': outDir } });
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
