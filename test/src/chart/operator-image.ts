// The operator image of this checkout: built from its dist by test/images/build.sh (cached by the dist's
// hash) and imported into the node's containerd under its own name and the chart's default image name,
// as the cluster bring-up does, so `helm install` with the default image values runs it
// (imagePullPolicy IfNotPresent: nothing is ever pulled here). The bring-up imported the image of the dist
// that was built when the cluster came up; a test of the chart's pods must run the dist under test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readState } from '../cluster/cluster.js';
import { CLUSTER_DIR, REPO_ROOT } from '../cluster/paths.js';
import { run } from '../cluster/node/host.js';
import { IMAGES, chartDefaultImage, importImages } from '../cluster/node/images.js';
import { containerdSocket } from '../cluster/node/node.js';

export interface NodeImage {
  /** The name the chart uses. */
  ref: string;
  /** The image ID (its config's digest), which the kubelet reports as a container's imageID. */
  id: string;
}

/** Where `ctr` talks to the node's containerd. */
export function nodeCtr(): { ctr: string; socket: string } {
  const node = readState()?.node;
  if (!node) throw new Error('the local cluster has no node: `npm run cluster:up` as root brings one up');
  return { ctr: join(node.nodeBinDir, 'ctr'), socket: containerdSocket(CLUSTER_DIR) };
}

/** The manifest digest of an image in containerd's k8s.io namespace. */
function manifestDigest(ref: string): string {
  const { ctr, socket } = nodeCtr();
  const r = run(ctr, ['-a', socket, '-n', 'k8s.io', 'images', 'ls', `name==${ref}`]);
  // REF TYPE DIGEST SIZE PLATFORMS LABELS
  const digest = r.stdout
    .split('\n')
    .find((l) => l.startsWith(`${ref} `))
    ?.split(/\s+/)[2];
  if (r.code !== 0 || !digest?.startsWith('sha256:')) throw new Error(`no image ${ref} in containerd: ${r.stderr}`);
  return digest;
}

export function importOperatorImage(): NodeImage {
  const dir = execFileSync('bash', [join(REPO_ROOT, 'test', 'images', 'build.sh'), 'operator'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  })
    .trim()
    .split('\n')
    .pop()!;
  const { ctr, socket } = nodeCtr();
  importImages(ctr, socket, [dir]);
  const ref = chartDefaultImage();
  const digest = manifestDigest(IMAGES.operator);
  if (manifestDigest(ref) !== digest) throw new Error(`${ref} does not name the image just imported (${digest})`);
  const manifest = run(ctr, ['-a', socket, '-n', 'k8s.io', 'content', 'get', digest]);
  const id = (JSON.parse(manifest.stdout) as { config?: { digest?: string } }).config?.digest;
  if (!id) throw new Error(`no config digest in the manifest ${digest}: ${manifest.stderr}`);
  return { ref, id };
}
