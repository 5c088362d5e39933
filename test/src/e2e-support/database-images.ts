// The images a Database test runs: the PuppetDB and PostgreSQL stand-ins and the OpenVox Server image
// with the PuppetDB termini. test/images/build.sh builds what is missing (cached, keyed on its sources);
// they are imported into the node with the cluster's own import, since a node brought up before they
// existed lacks them (importing an image already there replaces nothing but its name).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../cluster/paths.js';
import { importImages } from '../cluster/node/images.js';
import { nodeCtr } from '../chart/operator-image.js';

export const DATABASE_IMAGE_FILES = ['openvox-server.oci.tar', 'puppetdb.oci.tar', 'postgresql.oci.tar'];

export function importDatabaseImages(): string[] {
  const dir = execFileSync('bash', [join(REPO_ROOT, 'test', 'images', 'build.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  })
    .trim()
    .split('\n')
    .pop()!;
  const { ctr, socket } = nodeCtr();
  return importImages(ctr, socket, [dir], DATABASE_IMAGE_FILES);
}
