// `node test/dist/security/cli.js`: exits 1 and lists every finding of the post-run audit.
import { audit } from './audit.js';

const { findings, checked } = await audit();
console.log(
  `security audit: ${checked.logLines} log lines, ${checked.events} events, ${checked.statuses} statuses, ${checked.deployments} rendered Deployments checked`,
);
for (const f of findings) console.log(`security audit: ${f.where}: ${f.what}`);
if (findings.length > 0) {
  console.log(`security audit: ${findings.length} finding(s)`);
  process.exit(1);
}
console.log('security audit: clean');
