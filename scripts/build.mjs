// npm run build: compiles src/ to dist/ (tsconfig.build.json).
// node scripts/build.mjs --if-stale (npm's prestart): only when dist/ is missing or older than a
// source file, so `npm start` on a fresh clone builds once and later starts at once.
// Plain JavaScript, so that starting the server never needs a transpiler.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist/.build-stamp');

function newestChange(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const sources = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((name) => path.join(root, name));
  if (Math.max(...sources.filter(existsSync).map(newestChange)) < statSync(stamp).mtimeMs) process.exit(0);
}

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies (npm ci --omit=dev) runs the dist/ it was built with.
  if (process.argv.includes('--if-stale') && existsSync(stamp)) process.exit(0);
  throw new Error('dist/ needs building and TypeScript is not installed: run npm install (with dev dependencies), then npm run build');
}
console.error('building dist/ (tsc -p tsconfig.build.json)');
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
