// After an uncaught exception Node's documentation calls the process state undefined: log the error and
// exit non-zero, so the Deployment restarts the pod while the other replica (behind its PDB) serves.
// A throw inside an admission handler is not this: the HTTP layer answers that request 500 and serves on.
import type { Logger } from 'pino';

export type CrashEvent = 'uncaughtException' | 'unhandledRejection';

export interface CrashSource {
  on(event: CrashEvent, listener: (error: unknown) => void): unknown;
}

/** Exit code of a crash; 1 is Node's own for an uncaught exception. */
export const CRASH_EXIT_CODE = 1;

export function exitOnCrash(source: CrashSource, logger: Logger, exit: (code: number) => void): void {
  const crash = (event: CrashEvent) => (error: unknown) => {
    // pino writes to stdout synchronously by default: the line is out before the process ends.
    logger.fatal(
      { err: error, event },
      `${event === 'uncaughtException' ? 'uncaught exception' : 'unhandled rejection'}: exiting`,
    );
    exit(CRASH_EXIT_CODE);
  };
  source.on('uncaughtException', crash('uncaughtException'));
  source.on('unhandledRejection', crash('unhandledRejection'));
}
