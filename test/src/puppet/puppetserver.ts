// Runs a real puppetserver (Debian package) in the foreground on loopback, as the `puppet` user when
// started by root (as the pod runs non-root), with the conf.d and services.d directories it is given.
// Readiness is polled on /status/v1/simple with a deadline; stop() sends SIGTERM to the java PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { request } from 'node:https';
import { DEBIAN, isRoot } from './debian.js';

export interface PuppetserverOptions {
  confDir: string;
  servicesDir: string;
  port: number;
  logFile: string;
  javaArgs?: string[];
  /** Run as this user (only when root). */
  user?: string;
  /** Prepended to the command line, e.g. nsenter into a pod namespace. */
  prefix?: string[];
  /** Readiness check; defaults to GET https://127.0.0.1:{port}/status/v1/simple == running. */
  probe?: () => Promise<boolean>;
}

export interface RunningPuppetserver {
  pid: number;
  /** Milliseconds from spawn to the first `running` answer. */
  startMs: number;
  stop(): Promise<number | null>;
}

function statusSimple(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/status/v1/simple', rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body.trim()));
      },
    );
    req.on('error', () => resolve(''));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startPuppetserver(
  options: PuppetserverOptions,
  readyTimeoutMs = 120_000,
): Promise<RunningPuppetserver> {
  const java = [
    DEBIAN.java,
    ...(options.javaArgs ?? ['-Xms512m', '-Xmx1024m']),
    '-Djruby.logger.class=com.puppetlabs.jruby_utils.jruby.Slf4jLogger',
    `-Djruby.lib=${DEBIAN.jrubyLib}`,
    '-XX:+CrashOnOutOfMemoryError',
    '-jar',
    DEBIAN.jar,
    '--config',
    options.confDir,
    '--bootstrap-config',
    options.servicesDir,
  ];
  const user = options.user ?? DEBIAN.user;
  const argv = [
    ...(options.prefix ?? []),
    ...(isRoot() ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--'] : []),
    ...java,
  ];
  const probe = options.probe ?? (async () => (await statusSimple(options.port)) === 'running');
  const log = createWriteStream(options.logFile);
  const started = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: DEBIAN.installDir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited(child);
      clearTimeout(timer);
      return code;
    }
    return child.exitCode;
  };
  const deadline = started + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `puppetserver exited (${child.exitCode ?? child.signalCode}) before it was ready; see ${options.logFile}`,
      );
    }
    if (await probe()) return { pid: child.pid!, startMs: Date.now() - started, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`puppetserver not ready within ${readyTimeoutMs} ms; see ${options.logFile}`);
}
