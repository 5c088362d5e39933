// Another client writes the same Deployment: server-side apply keeps our fields ours and theirs theirs,
// with no error loop and no ping-pong of generations.
import { jest } from '@jest/globals';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { KIND, applyStack, getObject, server } from '../src/e2e-support/objects.js';
import { resyncController } from '../src/e2e-support/operator-control.js';
import { until } from '../src/e2e-support/poll.js';

jest.setTimeout(180_000);

let ns: string;
beforeAll(async () => {
  ns = createNamespace('chaos-conflicts');
  await applyStack(ns);
});
afterAll(() => deleteNamespace(ns));

const image = (d: { spec: { template: { spec: { containers: { image: string }[] } } } }) =>
  d.spec.template.spec.containers[0]!.image;

it('restores its own fields and keeps the other client’s', async () => {
  kubectlOk(['apply', '-f', '-'], server('shared', ns));
  const ours = await until('Deployment shared', () => getObject('deployment', 'shared', ns));

  // Theirs: a rollout restart (template annotation) and a label of their own on the Deployment.
  kubectlOk(['rollout', 'restart', 'deployment/shared', '-n', ns]);
  kubectlOk(['label', 'deployment', 'shared', '-n', ns, 'team=payments']);
  // Ours, taken by someone else: the container image.
  kubectlOk([
    'patch',
    'deployment',
    'shared',
    '-n',
    ns,
    '--type=json',
    '-p',
    JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'example.com/other:1' }]),
  ]);

  const restored = await until('our image back', () => {
    const d = getObject('deployment', 'shared', ns);
    return d && image(d) === image(ours) && d;
  });
  expect(restored.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
  expect(restored.metadata.labels.team).toBe('payments');

  // Settled: a full resync changes nothing more, both sides' fields stay, and the Server reports no error.
  await resyncController();
  const settled = getObject('deployment', 'shared', ns);
  await resyncController();
  const end = getObject('deployment', 'shared', ns);
  expect(end.metadata.generation).toBe(settled.metadata.generation);
  expect(image(end)).toBe(image(ours));
  expect(end.metadata.labels.team).toBe('payments');
  expect(end.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(
    restored.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'],
  );
  const status = getObject(KIND.server, 'shared', ns).status;
  expect(status.observedGeneration).toBe(getObject(KIND.server, 'shared', ns).metadata.generation);
  expect(status.phase).not.toBe('Error');
});
