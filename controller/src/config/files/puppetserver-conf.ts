// puppetserver.conf: JRuby pool and directories. max-active-instances stays 1 here; a Server
// overrides it per pod with -Djruby-puppet.max-active-instances in JAVA_ARGS.
import type { ConfigSpec } from '@openvox/shared/runtime';
import { writeHocon, type HoconObject } from '../../writers/hocon.js';
import type { ServerLayout } from '../../contracts/pod-layout.js';

export function renderPuppetserverConf(spec: ConfigSpec, layout: ServerLayout): string {
  const ps = spec.puppetserver ?? {};
  // Only the timeouts that are set: puppetserver keeps its own defaults for the others.
  const httpClient: HoconObject = {
    'connect-timeout-milliseconds': ps.httpClient?.connectTimeoutMs,
    'idle-timeout-milliseconds': ps.httpClient?.idleTimeoutMs,
  };
  return writeHocon({
    'jruby-puppet': {
      'ruby-load-path': layout.rubyLoadPath,
      'gem-home': layout.gemHome,
      'gem-path': layout.gemPath,
      'server-conf-dir': layout.confdir,
      'server-code-dir': layout.codedir,
      'server-var-dir': layout.serverVarDir,
      'server-run-dir': layout.serverRunDir,
      'server-log-dir': layout.serverLogDir,
      'max-active-instances': 1,
      'max-requests-per-instance': ps.maxRequestsPerInstance ?? 0,
      'borrow-timeout': ps.borrowTimeout ?? 1_200_000,
      'compile-mode': ps.compileMode ?? 'off',
    },
    'http-client': httpClient,
    profiler: {},
    dropsonde: { enabled: false },
  });
}
