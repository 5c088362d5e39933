// Runs test/cluster/build.sh (cached, so fast when the binaries exist) and returns the binary directory.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

export async function buildBinaries(): Promise<string> {
  const script = join(REPO_ROOT, 'test', 'cluster', 'build.sh');
  return new Promise((resolve, reject) => {
    // stderr carries the build's progress output straight to the user.
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const dir = out.trim().split('\n').pop();
      if (code === 0 && dir) resolve(dir);
      else reject(new Error(`${script} failed with exit code ${code}`));
    });
  });
}
