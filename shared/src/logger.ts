// The processes' logger: pino, human-readable on a terminal (pino-pretty, a dev dependency, so the image and
// the chart never load it) and JSON everywhere else. LOG_FORMAT=json|pretty overrides the choice.
import { pino, type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  component: string;
  env?: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal; default process.stdout.isTTY. */
  tty?: boolean;
}

const FORMATS = ['json', 'pretty'] as const;

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const env = options.env ?? process.env;
  const wanted = env.LOG_FORMAT;
  if (wanted !== undefined && !(FORMATS as readonly string[]).includes(wanted))
    throw new Error(`LOG_FORMAT must be one of ${FORMATS.join(', ')} (got "${wanted}")`);
  const pretty = wanted ? wanted === 'pretty' : (options.tty ?? Boolean(process.stdout.isTTY));
  const settings = { level: options.level, base: { component: options.component } };
  if (!pretty) return pino(settings);
  const stream = await prettyStream();
  if (!stream) return pino(settings);
  return pino(settings, stream);
}

/** pino-pretty writing synchronously (a crash's last line is out before the process exits); none if absent. */
async function prettyStream(): Promise<DestinationStream | undefined> {
  try {
    const { default: pretty } = await import('pino-pretty');
    return pretty({
      sync: true,
      // NO_COLOR and a pipe turn colours off.
      colorize: !process.env.NO_COLOR && Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,component',
      messageFormat: '{component}: {msg}',
      hideObject: false,
    });
  } catch {
    return undefined;
  }
}
