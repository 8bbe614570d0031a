// Runs a WASI command module on node's V8: `node node-wasi-runner.mjs prog.wasm [args...]`.
// The guest sees argv = [prog.wasm, args...], an empty environment and no preopened
// directories; its exit status becomes node's. Tiering is chosen by node's own flags.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, ...guestArgs] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node node-wasi-runner.mjs prog.wasm [args...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [wasmPath, ...guestArgs], env: {},
                        returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
