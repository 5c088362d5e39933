// `npm run cluster:up` / `npm run cluster:down`.
import { clusterDown, clusterUp } from './cluster.js';

const command = process.argv[2];
try {
  if (command === 'up') await clusterUp();
  else if (command === 'down') await clusterDown();
  else throw new Error(`usage: cli.js up|down (got ${command ?? 'nothing'})`);
} catch (error) {
  process.stderr.write(`cluster: ${(error as Error).message}\n`);
  process.exit(1);
}
