// node convert_with_glue.mjs CORE_JS PANDOC_WASM INPUT.md: converts INPUT.md to HTML the way
// the pandoc-wasm package does in a browser or node, through its own JS glue (src/core.js:
// malloc'd argv, hs_init_with_rtsopts, then the `convert` export reading JSON options, with
// stdin and stdout as files of a "/" preopen), and prints the HTML. The reference for
// run_pandoc.sh, which runs the same binary's WASI `_start` (the pandoc CLI) on Tern instead.
import {readFileSync} from "node:fs"

const [coreJs, wasmPath, inputPath] = process.argv.slice(2)
const {createPandocInstance} = await import(coreJs)
const pandoc = await createPandocInstance(readFileSync(wasmPath))
const result = await pandoc.convert({from: "markdown", to: "html"}, readFileSync(inputPath, "utf8"), {})
if (result.stderr) process.stderr.write(result.stderr)
process.stdout.write(result.stdout)
