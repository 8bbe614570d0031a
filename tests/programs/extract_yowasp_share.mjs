// Writes the data files a YoWASP npm package bundles in gen/resources-*.js (a tree of inline
// strings and URLs of files shipped next to it) out as a plain directory, so that a WASI
// runtime can preopen it where the package's JS wrapper would mount it.
// Usage: node extract_yowasp_share.mjs PACKAGE_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [packageDir, outDir] = process.argv.slice(2);
if (!packageDir || !outDir) {
  console.error('usage: extract_yowasp_share.mjs PACKAGE_DIR OUT_DIR');
  process.exit(2);
}
const genDir = path.join(packageDir, 'gen');
const bundles = fs.readdirSync(genDir).filter((name) => /^resources-.*\.js$/.test(name));
if (bundles.length !== 1) {
  console.error(`expected one gen/resources-*.js in ${packageDir}, found ${bundles.length}`);
  process.exit(1);
}
const { filesystem } = await import(pathToFileURL(path.join(genDir, bundles[0])).href);

let fileCount = 0;
function writeTree(tree, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, entry] of Object.entries(tree)) {
    const target = path.join(dir, name);
    if (typeof entry === 'string' || entry instanceof Uint8Array) {
      fs.writeFileSync(target, entry);
    } else if (entry instanceof URL) {
      fs.copyFileSync(fileURLToPath(entry), target);
    } else {
      writeTree(entry, target);
      continue;
    }
    ++fileCount;
  }
}
writeTree(filesystem, outDir);
console.log(`extracted ${fileCount} files from ${bundles[0]} into ${outDir}`);
