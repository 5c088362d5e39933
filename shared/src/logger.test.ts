import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from './logger.js';

// The compiled module (npm run build), run in a child so its real stdout is what is read.
const LOGGER_JS = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'logger.js');

function logOneLine(env: NodeJS.ProcessEnv): string {
  const code = `const { createLogger } = await import(${JSON.stringify(LOGGER_JS)});
    const log = await createLogger({ level: 'info', component: 'webhook' });
    log.info({ port: 9443 }, 'listening');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('createLogger', () => {
  it('refuses an unknown LOG_FORMAT, naming the variable', async () => {
    await expect(createLogger({ level: 'info', component: 'x', env: { LOG_FORMAT: 'text' } })).rejects.toThrow(
      'LOG_FORMAT must be one of json, pretty (got "text")',
    );
  });

  it('writes JSON when stdout is not a terminal (the chart, CI)', () => {
    const line = JSON.parse(logOneLine({})) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, component: 'webhook', port: 9443, msg: 'listening' });
  });

  it('writes one readable line with pino-pretty when asked (as on a terminal)', () => {
    const out = logOneLine({ LOG_FORMAT: 'pretty', NO_COLOR: '1' });
    expect(out).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: webhook: listening\n {4}port: 9443\n/);
  });
});
