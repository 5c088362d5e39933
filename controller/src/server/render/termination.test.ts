import { authority, certificate, config, HASHES, server } from '../fixtures.test-helpers.js';
import { renderDeployment } from './deployment.js';

const podOf = (ca: boolean) =>
  renderDeployment({
    server: server(ca ? 'production-ca' : 'compiler', { ca }),
    config: config(),
    certificate: certificate(),
    ca: authority(),
    hashes: HASHES,
  }).spec!.template.spec!;

describe('pod termination', () => {
  it.each([
    ['a non-CA Server', false, 15],
    ['a CA Server', true, 5],
  ])('drains %s with the kubelet sleep before SIGTERM, and waits for the shutdown after it', (_, ca, seconds) => {
    const pod = podOf(ca);
    const main = pod.containers.find((c) => c.name === 'openvox-server')!;
    // The kubelet's own action: nothing to exec in the image.
    expect(main.lifecycle).toEqual({ preStop: { sleep: { seconds } } });
    expect(pod.terminationGracePeriodSeconds).toBe(seconds + 45);
  });

  it('gives the helper containers no hook of their own', () => {
    const pod = podOf(false);
    for (const c of pod.initContainers ?? []) expect(c.lifecycle).toBeUndefined();
  });
});
