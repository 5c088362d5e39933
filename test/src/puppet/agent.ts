// One `puppet agent -t` run against a server on 127.0.0.1, with the agent's own confdir, vardir and
// ssldir so it shares nothing with the server or the machine's default agent.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN } from './debian.js';

export interface AgentRun {
  code: number | null;
  output: string;
  ms: number;
  command: string;
}

export interface AgentOptions {
  certname: string;
  /** Root of the agent's private directories; its ssldir is `${dir}/ssl`. */
  dir: string;
  server: string;
  port: number;
  timeoutMs?: number;
  /** Prepended to the command line, e.g. nsenter into the server's network namespace. */
  prefix?: string[];
}

export function agentSsldir(dir: string): string {
  return join(dir, 'ssl');
}

export function runAgent(options: AgentOptions): Promise<AgentRun> {
  for (const d of ['etc', 'var', 'run', 'log']) mkdirSync(join(options.dir, d), { recursive: true });
  const args = [
    'agent',
    '--test',
    '--color=false',
    `--server=${options.server}`,
    `--serverport=${options.port}`,
    `--certname=${options.certname}`,
    `--confdir=${join(options.dir, 'etc')}`,
    `--vardir=${join(options.dir, 'var')}`,
    `--rundir=${join(options.dir, 'run')}`,
    `--logdir=${join(options.dir, 'log')}`,
    `--ssldir=${agentSsldir(options.dir)}`,
    '--waitforcert=0',
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const argv = [...(options.prefix ?? []), DEBIAN.puppet, ...args];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started, command: `puppet ${args.join(' ')}` });
    });
  });
}
