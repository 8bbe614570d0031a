// Runs a WASI command module on node's V8:
//   node node-wasi-runner.mjs [--dir HOST::GUEST]... prog.wasm [args...]
// The guest sees argv = [prog.wasm, args...], an empty environment and, as preopened
// directories, each HOST as GUEST (tern run's --dir spelling); its exit status becomes node's.
// Tiering is chosen by node's own flags.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
while (argv[0] === '--dir' && argv.length > 1) {
  const [host, guest] = argv[1].split('::');
  preopens[guest ?? host] = host;
  argv.splice(0, 2);
}
const [wasmPath, ...guestArgs] = argv;
if (!wasmPath) {
  console.error('usage: node node-wasi-runner.mjs [--dir HOST::GUEST]... prog.wasm [args...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [wasmPath, ...guestArgs], env: {}, preopens,
                        returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
