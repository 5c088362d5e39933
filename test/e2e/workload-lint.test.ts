// Workload hygiene: kube-score over the chart's `helm template` and the Server pods the controller
// renders (a CA and a catalog Server). Any finding outside the reviewed list fails, and so does an
// entry of that list that no longer matches anything or that the chart's README does not name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR } from '../src/chart/helm.js';
import { parseObjects, template } from '../src/chart/render.js';
import { ACCEPTED_FINDINGS, accepts, type Source } from '../src/lint/accepted-findings.js';
import { describeFinding, kubeScoreBinary, score, type Finding } from '../src/lint/kube-score.js';
import { serverPodObjects } from '../src/lint/server-pods.js';

let binary: string;
const used = new Set<number>();

// Cold: a Go build of a minute or two (cached outside the repo afterwards).
beforeAll(() => {
  binary = kubeScoreBinary();
}, 20 * 60_000);

function unaccepted(source: Source, findings: Finding[]): string[] {
  return findings
    .filter((f) => {
      const i = ACCEPTED_FINDINGS.findIndex((entry) => accepts(entry, source, f));
      if (i >= 0) used.add(i);
      return i < 0;
    })
    .map(describeFinding);
}

function chartObjects(): object[] {
  const r = template();
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseObjects(r.stdout);
}

it('finds nothing in the chart apart from the accepted findings', () => {
  const objects = chartObjects();
  expect(objects.filter((o) => (o as { kind: string }).kind === 'Deployment')).toHaveLength(2);
  expect(unaccepted('chart', score(binary, objects))).toEqual([]);
});

it('finds nothing in the CA and catalog Server pods apart from the accepted findings', () => {
  const objects = serverPodObjects();
  expect(objects.filter((o) => (o as { kind: string }).kind === 'Deployment')).toHaveLength(2);
  expect(unaccepted('server', score(binary, objects))).toEqual([]);
});

it('has no accepted finding that no longer occurs', () => {
  const stale = ACCEPTED_FINDINGS.filter((_, i) => !used.has(i)).map((e) => `${e.check}: ${e.reason}`);
  expect(stale).toEqual([]);
});

it("names every accepted finding in the chart's README", () => {
  const readme = readFileSync(join(CHART_DIR, 'README.md'), 'utf8');
  const section = /## Workload linter\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? '';
  expect(ACCEPTED_FINDINGS.map((e) => e.check).filter((check) => !section.includes(`\`${check}\``))).toEqual([]);
});
