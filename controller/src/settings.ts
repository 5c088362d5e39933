// The controller's configuration: flags win over environment variables, parsed once at start-up.
import { parseWatchNamespaces } from '@openvox/shared/runtime';

export interface Settings {
  kubeconfig?: string;
  /** Port of /healthz, /readyz (no auth) and /metrics (bearer token, TokenReview + SubjectAccessReview). */
  port: number;
  bindAddress: string;
  /**
   * Port of `POST /debug/resync` on 127.0.0.1 only, for tests and benchmarks; off unless given, and
   * only as a flag (no environment variable), so the chart never turns it on.
   */
  debugPort?: number;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  /** Lease timing in seconds: after a leader's crash another takes over within lease + retry (14 s by default). */
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  concurrency: number;
  resyncSeconds: number;
  /** Asks the API server to end each watch after this many seconds (0: never); the informer resumes it. */
  watchTimeoutSeconds: number;
  logLevel: string;
  /** Controllers to run, by name; empty means all. */
  controllers: string[];
  /** Namespaces to watch, each with its own list+watch (namespace-scoped mode); empty means all. */
  watchNamespaces: string[];
  /** How often each CA Server's requests and certificates are listed for the AgentCertificates. */
  agentCertificatePollSeconds: number;
}

export const CONTROLLER_NAMES = [
  'server',
  'config',
  'certificateauthority',
  'certificate',
  'pool',
  'nodeclassifier',
  'reportprocessor',
  'database',
  'agentcertificate',
] as const;

function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(arg.slice(2), argv[++i]!);
    else flags.set(arg.slice(2), 'true');
  }
  return flags;
}

function bool(name: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`--${name} must be true or false, got ${v}`);
}

function int(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);
  return n;
}

function controllerList(v: string): string[] {
  const names = v
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(CONTROLLER_NAMES as readonly string[]).includes(n)) {
      throw new Error(`--controllers: unknown controller ${n} (known: ${CONTROLLER_NAMES.join(', ')})`);
    }
  }
  return names;
}

const KNOWN = new Set([
  'kubeconfig',
  'port',
  'bind-address',
  'debug-port',
  'leader-elect',
  'leader-election-namespace',
  'leader-election-id',
  'leader-election-lease-duration',
  'leader-election-renew-deadline',
  'leader-election-retry-period',
  'concurrency',
  'resync-seconds',
  'watch-timeout-seconds',
  'log-level',
  'controllers',
  'watch-namespaces',
  'agent-certificate-poll-seconds',
]);

export function parseSettings(argv: string[], env: Record<string, string | undefined>): Settings {
  const settings = parse(argv, env);
  // As in client-go: renewing must give up before the lease runs out, and retry well before that.
  if (!(
    settings.leaseDurationSeconds > settings.renewDeadlineSeconds &&
    settings.renewDeadlineSeconds > settings.retryPeriodSeconds
  )) {
    throw new Error(
      '--leader-election-lease-duration > --leader-election-renew-deadline > --leader-election-retry-period must hold',
    );
  }
  return settings;
}

function parse(argv: string[], env: Record<string, string | undefined>): Settings {
  const f = parseFlags(argv);
  for (const k of f.keys()) if (!KNOWN.has(k)) throw new Error(`unknown flag --${k}`);
  const get = (flag: string, envName: string | undefined, dflt: string) =>
    f.get(flag) ?? (envName ? env[envName] : undefined) ?? dflt;
  const kubeconfig = f.get('kubeconfig') ?? env.KUBECONFIG;
  const debugPort = f.get('debug-port');
  return {
    ...(kubeconfig ? { kubeconfig } : {}),
    port: int('port', get('port', 'CONTROLLER_PORT', '8080'), 0),
    bindAddress: get('bind-address', 'CONTROLLER_BIND_ADDRESS', '0.0.0.0'),
    ...(debugPort !== undefined ? { debugPort: int('debug-port', debugPort, 0) } : {}),
    leaderElect: bool('leader-elect', get('leader-elect', 'CONTROLLER_LEADER_ELECT', 'true')),
    leaderElectionNamespace: get('leader-election-namespace', 'POD_NAMESPACE', 'default'),
    leaderElectionId: get('leader-election-id', undefined, 'openvox-operator-controller'),
    leaseDurationSeconds: int(
      'leader-election-lease-duration',
      get('leader-election-lease-duration', undefined, '12'),
      2,
    ),
    renewDeadlineSeconds: int(
      'leader-election-renew-deadline',
      get('leader-election-renew-deadline', undefined, '8'),
      1,
    ),
    retryPeriodSeconds: int('leader-election-retry-period', get('leader-election-retry-period', undefined, '2'), 1),
    concurrency: int('concurrency', get('concurrency', 'CONTROLLER_CONCURRENCY', '4'), 1),
    resyncSeconds: int('resync-seconds', get('resync-seconds', 'CONTROLLER_RESYNC_SECONDS', '600'), 0),
    watchTimeoutSeconds: int('watch-timeout-seconds', get('watch-timeout-seconds', undefined, '0'), 0),
    logLevel: get('log-level', 'LOG_LEVEL', 'info'),
    controllers: controllerList(get('controllers', 'CONTROLLER_CONTROLLERS', '')),
    watchNamespaces: parseWatchNamespaces(get('watch-namespaces', 'WATCH_NAMESPACES', '')),
    agentCertificatePollSeconds: int(
      'agent-certificate-poll-seconds',
      get('agent-certificate-poll-seconds', 'CONTROLLER_AGENT_CERTIFICATE_POLL_SECONDS', '30'),
      1,
    ),
  };
}
