#!/usr/bin/env node
// Builds rules/ and cms/ when their output is missing or older than their sources, so `npm start`
// and `npm test` work on a fresh clone and skip the ~50 s build when nothing changed.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'cms', 'dist', '.build-stamp');
const sources = ['rules/src', 'rules/package.json', 'cms/src', 'cms/config', 'cms/package.json', 'cms/tsconfig.json'];

function newest(p) {
  const full = path.join(root, p);
  if (!existsSync(full)) return 0;
  const st = statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(full).reduce((max, name) => Math.max(max, newest(path.join(p, name))), st.mtimeMs);
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...sources.map(newest));
if (builtAt > changedAt && existsSync(path.join(root, 'cms/dist/build/index.html'))) {
  console.log('build is up to date');
} else {
  console.log(builtAt === 0 ? 'no build yet: building rules/ and cms/' : 'sources changed: rebuilding rules/ and cms/');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
