// Writes a directory the way the kubelet's AtomicWriter projects a Secret or ConfigMap volume:
// the files live in `..<timestamp>/`, `..data` is a symlink to it, and each visible file is a symlink
// `name -> ..data/name`. An update writes a new timestamp directory, points `..data_tmp` at it and
// renames that over `..data` (one atomic swap), then removes the old directory. puppetserver's CRL
// watcher does not follow this swap (docs/puppetserver.md), which the tests rely on.
import {
  mkdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  lstatSync,
  chmodSync,
} from 'node:fs';
import { join } from 'node:path';

let sequence = 0;

function stamp(): string {
  sequence += 1;
  return `..${new Date().toISOString().replace(/[-:.]/g, '_')}.${process.pid}.${sequence}`;
}

/** Creates or atomically replaces the projected content of `dir` with `files` (name -> content). */
export function writeKubeletVolume(dir: string, files: Record<string, string>, mode = 0o644): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const dataLink = join(dir, '..data');
  const previous = existsSync(dataLink) ? readlinkSync(dataLink) : undefined;
  const next = stamp();
  mkdirSync(join(dir, next), { mode: 0o755 });
  for (const [name, content] of Object.entries(files)) {
    if (name.includes('/') || name.startsWith('.')) throw new Error(`invalid projected file name ${name}`);
    writeFileSync(join(dir, next, name), content);
    chmodSync(join(dir, next, name), mode);
  }
  const tmpLink = join(dir, '..data_tmp');
  rmSync(tmpLink, { force: true });
  symlinkSync(next, tmpLink);
  renameSync(tmpLink, dataLink);
  for (const name of Object.keys(files)) {
    const link = join(dir, name);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(join('..data', name), link);
  }
  if (previous) rmSync(join(dir, previous), { recursive: true, force: true });
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
