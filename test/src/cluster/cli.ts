// `npm run cluster:up` / `npm run cluster:down`; `up --also cert-manager --also kube-score` (npm test) runs
// those builds beside the cluster's under the same progress lines.
import { EXTRA_BUILDS } from './build.js';
import { clusterDown, clusterUp } from './cluster.js';

function alsoBuilds(args: string[]): (() => Promise<unknown>)[] {
  const builds: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i] === '--also' ? args[++i] : undefined;
    const build = name === undefined ? undefined : EXTRA_BUILDS[name];
    if (!build)
      throw new Error(`unknown argument ${args[i] ?? '(none)'}: use --also ${Object.keys(EXTRA_BUILDS).join('|')}`);
    builds.push(build);
  }
  return builds;
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'up') await clusterUp({ alsoBuild: alsoBuilds(rest) });
  else if (command === 'down') await clusterDown();
  else throw new Error(`usage: cli.js up [--also NAME]... | down (got ${command ?? 'nothing'})`);
} catch (error) {
  process.stderr.write(`cluster: ${(error as Error).message}\n`);
  process.exit(1);
}
