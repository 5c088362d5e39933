// One typed settings object, parsed once at start-up from flags and environment (flag first).
import { parseWatchNamespaces } from '@openvox/shared';

export interface Settings {
  port: number;
  bindAddress: string;
  tlsCertFile: string;
  tlsKeyFile: string;
  /** Path to a kubeconfig; undefined means in-cluster config if in a pod, otherwise no cluster. */
  kubeconfig: string | undefined;
  logLevel: string;
  /** How often the certificate files are re-read in case a file watch missed a change. */
  certPollMs: number;
  /** Namespaces whose Configs and Certificates the reference cache watches, each on its own; empty: all. */
  watchNamespaces: string[];
}

interface Spec {
  flag: string;
  env: string;
  fallback: string | undefined;
}

const SPECS = {
  port: { flag: 'port', env: 'WEBHOOK_PORT', fallback: '9443' },
  bindAddress: { flag: 'bind-address', env: 'WEBHOOK_BIND_ADDRESS', fallback: '0.0.0.0' },
  tlsCertFile: { flag: 'tls-cert', env: 'TLS_CERT_FILE', fallback: '/tmp/k8s-webhook-server/serving-certs/tls.crt' },
  tlsKeyFile: { flag: 'tls-key', env: 'TLS_KEY_FILE', fallback: '/tmp/k8s-webhook-server/serving-certs/tls.key' },
  kubeconfig: { flag: 'kubeconfig', env: 'KUBECONFIG', fallback: undefined },
  logLevel: { flag: 'log-level', env: 'LOG_LEVEL', fallback: 'info' },
  certPollMs: { flag: 'cert-poll-ms', env: 'CERT_POLL_MS', fallback: '10000' },
  watchNamespaces: { flag: 'watch-namespaces', env: 'WATCH_NAMESPACES', fallback: '' },
} satisfies Record<keyof Settings, Spec>;

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const USAGE = `usage: node webhook/dist/main.js [--port N] [--bind-address ADDR] [--tls-cert FILE] [--tls-key FILE] [--kubeconfig FILE] [--log-level LEVEL] [--watch-namespaces NS,...]`;

/** `--name value` and `--name=value`; unknown flags are an error so a typo does not go unnoticed. */
function parseFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set(Object.values(SPECS).map((s) => s.flag));
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!known.has(name)) throw new Error(`unknown flag --${name}\n${USAGE}`);
    const value: string | undefined = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`flag --${name} needs a value\n${USAGE}`);
    flags.set(name, value);
  }
  return flags;
}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

export function parseSettings(argv: readonly string[], env: NodeJS.ProcessEnv): Settings {
  const flags = parseFlags(argv);
  const get = (spec: Spec): string | undefined => {
    const value = flags.get(spec.flag) ?? env[spec.env];
    return value === undefined || value === '' ? spec.fallback : value;
  };
  const logLevel = get(SPECS.logLevel) ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) throw new Error(`log level must be one of ${[...LOG_LEVELS].join(', ')}`);
  return {
    port: integer('port', get(SPECS.port) ?? '', 0, 65535),
    bindAddress: get(SPECS.bindAddress) ?? '0.0.0.0',
    tlsCertFile: get(SPECS.tlsCertFile) ?? '',
    tlsKeyFile: get(SPECS.tlsKeyFile) ?? '',
    kubeconfig: get(SPECS.kubeconfig),
    logLevel,
    certPollMs: integer('cert poll interval', get(SPECS.certPollMs) ?? '', 100, 3_600_000),
    watchNamespaces: parseWatchNamespaces(get(SPECS.watchNamespaces) ?? ''),
  };
}
