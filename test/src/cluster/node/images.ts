// The node's images: built from Debian packages by test/images/build.sh (cached outside the repo) and
// imported into containerd, since nothing can be pulled here. Each image can be given more names.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runScript } from '../../progress/script.js';
import { REPO_ROOT } from '../paths.js';
import { run } from './host.js';

export const IMAGES = {
  pause: 'localhost/openvox-test/pause:3.10',
  busybox: 'localhost/openvox-test/busybox:1.35',
  openvoxServer: 'localhost/openvox-test/openvox-server:7.9.5',
  agent: 'localhost/openvox-test/openvox-agent:7.23',
  code: 'localhost/openvox-test/code:1',
  operator: 'localhost/openvox-test/openvox-operator:dev',
  puppetdb: 'localhost/openvox-test/puppetdb:7.12.1',
  postgresql: 'localhost/openvox-test/postgresql:15',
} as const;

/** The image the chart runs with its default values: `image.repository` at the chart's appVersion. */
export function chartDefaultImage(): string {
  const chart = join(REPO_ROOT, 'charts', 'openvox-operator');
  const { appVersion } = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  const { image } = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as { image: { repository: string } };
  return `${image.repository}:${appVersion}`;
}

/**
 * Public names that resolve to the local stand-ins, so manifests written for a real cluster (examples/
 * names the OpenVox Server image, the chart its operator image) run here with imagePullPolicy IfNotPresent.
 */
export const IMAGE_ALIASES: Record<string, string> = {
  'ghcr.io/openvoxproject/openvox-server:8.8.0': IMAGES.openvoxServer,
  'ghcr.io/openvoxproject/openvoxdb:8.9.0': IMAGES.puppetdb,
  [chartDefaultImage()]: IMAGES.operator,
};

const BASE_IMAGES = ['pause', 'busybox', 'code', 'openvox-server', 'openvox-agent', 'puppetdb', 'postgresql'];

/** Runs test/images/build.sh with `args` (under a progress task) and returns the directory it prints last. */
export async function buildImages(args: string[] = []): Promise<string> {
  const operator = args.includes('operator');
  const names = operator ? ['openvox-operator'] : BASE_IMAGES;
  const dir = await runScript({
    task: operator ? 'operator image' : 'images',
    script: join(REPO_ROOT, 'test', 'images', 'build.sh'),
    args,
    logName: operator ? 'image-operator' : 'images',
    stages: names.map((name) => ({ pattern: new RegExp(`build: \\S+ building ${name}$`), what: name })),
    hint: 'the image builds need root, mmdebstrap and the Debian archive (`apt-get update` first)',
  });
  if (!existsSync(dir)) throw new Error(`test/images/build.sh ${args.join(' ')} printed no image directory`);
  return dir;
}

/**
 * Imports every OCI tarball of `dir` (or only those named `only`, e.g. `puppetdb.oci.tar`) into containerd's
 * k8s.io namespace, then tags the aliases whose image is there.
 */
export function importImages(ctr: string, socket: string, dirs: string[], only?: string[]): string[] {
  const imported: string[] = [];
  for (const dir of dirs) {
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.oci.tar') && (!only || only.includes(f)))
      .sort()) {
      const r = run(ctr, ['-a', socket, '-n', 'k8s.io', 'images', 'import', join(dir, file)]);
      if (r.code !== 0) throw new Error(`ctr import ${file} failed: ${r.stderr.trim()}`);
      imported.push(file);
    }
  }
  for (const [alias, image] of Object.entries(IMAGE_ALIASES)) {
    // A node brought up before an image existed lacks it until a test imports it.
    if (run(ctr, ['-a', socket, '-n', 'k8s.io', 'images', 'ls', '-q', `name==${image}`]).stdout.trim() === '') continue;
    const r = run(ctr, ['-a', socket, '-n', 'k8s.io', 'images', 'tag', '--force', image, alias]);
    if (r.code !== 0) throw new Error(`ctr tag ${image} ${alias} failed: ${r.stderr.trim()}`);
  }
  return imported;
}
