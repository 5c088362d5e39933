// The real proof: a Debian puppetserver 7.9.5 on 127.0.0.1 runs with exactly the files and
// certificates the operator's code renders (round-tripped through the local API server as the
// ConfigMap and Secrets a pod would mount), `puppet agent -t` succeeds with a certificate from our
// CA, and after a revocation the operator publishes a new CRL into the Secret, the kubelet-style
// volume swap happens, the crl-sync sidecar logic copies it into the plain file webserver.conf names,
// and the next agent run is refused.
//
// Deviations from the pod, all forced by running the Debian package instead of the OpenVox image:
//  1. every pod path is re-rooted under a scratch directory ($ROOT) instead of /;
//  2. jruby-puppet ruby-load-path / gem-home / gem-path point at the Debian package's directories;
//  3. ssl-host is 127.0.0.1 (not 0.0.0.0) and ssl-port a free port (not 8140);
//  4. global.conf (logging-config -> our rendered logback.xml), web-routes.conf and bootstrap.cfg are
//     files the image ships and the operator does not render: taken from the Debian package;
//  5. the server runs as the package's `puppet` user instead of uid 1001; the crl-sync script runs
//     as a child process instead of a sidecar container; tls-init's five lines run as TypeScript.
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { V1Secret, V1ConfigMap } from '@kubernetes/client-node';
import {
  generateKeyPair,
  loadAuthority,
  privateKeyToPem,
  signLeaf,
  type Authority,
  type Certificate,
  type CertificateAuthority,
  type Config,
} from '@openvox/shared';
import { renderConfigMap } from '../../controller/src/config/render.js';
import {
  CONFIG_FILES,
  configKeysForRole,
  OPENVOX_IMAGE_LAYOUT,
  type ServerLayout,
} from '../../controller/src/config/layout.js';
import { generateAuthority } from '../../controller/src/certificate-authority/authority.js';
import { buildCrl } from '../../controller/src/certificate-authority/crl.js';
import { caCertSecret, caCrlSecret } from '../../controller/src/certificate-authority/render.js';
import { CRL_SYNC_SCRIPT } from '../../controller/src/certificate-authority/crl-sync.js';
import { subjectNames } from '../../controller/src/certificate/names.js';
import { issueServerCertificate } from '../../controller/src/certificate/issue.js';
import { tlsSecret } from '../../controller/src/certificate/render.js';
import { kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { freePort } from '../src/cluster/processes.js';
import { DEBIAN, ensurePuppetInstalled, isRoot } from '../src/puppet/debian.js';
import { writeKubeletVolume } from '../src/puppet/kubelet-volume.js';
import { startPuppetserver, type RunningPuppetserver } from '../src/puppet/puppetserver.js';
import { agentSsldir, runAgent, type AgentRun } from '../src/puppet/agent.js';

const SETUP_MS = 300_000;
const RUN_MS = 180_000;

const API = 'openvox.voxpupuli.org/v1alpha1';
let ns: string;
let root: string;
let layout: ServerLayout;
let port: number;
let server: RunningPuppetserver | undefined;
let crlSync: ChildProcess | undefined;
let authority: Authority;
let ca: CertificateAuthority;
let agentCertPem: string;
let crlPem: string;
const log: string[] = [];
const note = (line: string) => {
  log.push(line);
  console.info(line);
};

/** The pod's filesystem re-rooted under `root` (deviation 1), with the Debian jruby paths (2, 3). */
function rootedLayout(base: ServerLayout, rootDir: string, sslPort: number): ServerLayout {
  const r = (p: string) => join(rootDir, p);
  return {
    ...base,
    confdir: r(base.confdir),
    ssldir: r(base.ssldir),
    hostcert: r(base.hostcert),
    hostprivkey: r(base.hostprivkey),
    localcacert: r(base.localcacert),
    hostcrl: r(base.hostcrl),
    crlMountDir: r(base.crlMountDir),
    vardir: r(base.vardir),
    logdir: r(base.logdir),
    codedir: r(base.codedir),
    rundir: r(base.rundir),
    serverConfDir: r(base.serverConfDir),
    serverServicesDir: r(base.serverServicesDir),
    logbackXml: r(base.logbackXml),
    cadir: r(base.cadir),
    serverVarDir: r(base.serverVarDir),
    serverRunDir: r(base.serverRunDir),
    serverLogDir: r(base.serverLogDir),
    rubyLoadPath: [...DEBIAN.rubyLoadPath],
    gemHome: DEBIAN.gemHome,
    gemPath: [...DEBIAN.gemPath],
    sslHost: '127.0.0.1',
    sslPort,
  };
}

/** Server-side apply as the operator does, then read back what the API server stores. */
function applyAndReadBack<T extends V1Secret | V1ConfigMap>(obj: T): T {
  const withNs = { ...obj, metadata: { ...obj.metadata, namespace: ns, ownerReferences: undefined } };
  kubectlOk(['apply', '--server-side', '--field-manager=openvox-operator', '-f', '-'], withNs);
  return JSON.parse(kubectlOk(['get', obj.kind!.toLowerCase(), obj.metadata!.name!, '-n', ns, '-o', 'json'])) as T;
}

/** What the kubelet projects from a Secret: base64-decoded files. */
function secretFiles(secret: V1Secret): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

function chownToPuppet(path: string): void {
  if (isRoot()) execFileSync('chown', ['-R', `${DEBIAN.user}:${DEBIAN.user}`, path]);
}

/** The init container tls-init (controller/src/server/render.ts), path for path. */
function tlsInit(sslCertDir: string, sslCaDir: string): void {
  for (const d of ['certs', 'private_keys', 'public_keys', 'certificate_requests', 'private']) {
    mkdirSync(join(layout.ssldir, d), { recursive: true });
  }
  copyFileSync(join(sslCertDir, 'cert.pem'), layout.hostcert);
  copyFileSync(join(sslCertDir, 'key.pem'), layout.hostprivkey);
  copyFileSync(join(sslCaDir, 'ca_crt.pem'), layout.localcacert);
  chmodSync(layout.hostprivkey, 0o640);
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function agent1(): Promise<AgentRun> {
  return runAgent({ certname: 'agent1', dir: join(root, 'agent1'), server: 'localhost', port });
}

beforeAll(async () => {
  const versions = ensurePuppetInstalled();
  note(`packages: puppetserver ${versions.puppetserver}, puppet-agent ${versions.puppetAgent}`);
  ns = createNamespace('e2e-puppet');
  root = mkdtempSync('/tmp/openvox-puppet-');
  chmodSync(root, 0o755);
  port = await freePort();
  layout = rootedLayout(OPENVOX_IMAGE_LAYOUT, root, port);
  const now = new Date();

  // CertificateAuthority -> CA key and certificate (RSA 4096, the operator default) and empty CRL.
  ca = {
    apiVersion: API,
    kind: 'CertificateAuthority',
    metadata: { name: 'production-ca', namespace: ns, uid: 'u1' },
    spec: { ttl: '5y' },
  };
  const caPem = await generateAuthority(ca, now);
  authority = await loadAuthority(caPem.certPem, caPem.keyPem);
  crlPem = (await buildCrl({ authority, revoked: [], now })).pem;

  // Certificate -> server certificate in {cert}-tls.
  const cert: Certificate = {
    apiVersion: API,
    kind: 'Certificate',
    metadata: { name: 'production-cert', namespace: ns, uid: 'u2' },
    spec: { authorityRef: 'production-ca', certname: 'puppet', dnsAltNames: ['localhost', '127.0.0.1'] },
  };
  const issued = await issueServerCertificate({ authority, cert, names: subjectNames(cert, [], []), now });

  // Config -> {config}-config.
  const config: Config = {
    apiVersion: API,
    kind: 'Config',
    metadata: { name: 'production', namespace: ns, uid: 'u3' },
    spec: {
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
      authorityRef: 'production-ca',
    },
  };

  // Through the API server, as the pod would receive them.
  const configMap = applyAndReadBack(renderConfigMap(config, ca, layout));
  const tls = applyAndReadBack(tlsSecret(cert, { ...issued, caCertPem: authority.certPem }));
  const caSecret = applyAndReadBack(caCertSecret(ca, authority.certPem));
  const crlSecret = applyAndReadBack(caCrlSecret(ca, crlPem));

  // Volumes of a non-CA pod: ConfigMap items via subPath, Secrets as kubelet-projected directories.
  for (const key of configKeysForRole(false)) {
    const path = CONFIG_FILES[key](layout);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, configMap.data![key]!);
  }
  const sslCertDir = join(root, 'ssl-cert');
  const sslCaDir = join(root, 'ssl-ca');
  writeKubeletVolume(sslCertDir, secretFiles(tls), 0o640);
  writeKubeletVolume(sslCaDir, secretFiles(caSecret), 0o640);
  writeKubeletVolume(layout.crlMountDir, secretFiles(crlSecret), 0o644);
  tlsInit(sslCertDir, sslCaDir);

  // Files of the image the operator does not render (deviation 4).
  writeFileSync(
    join(layout.serverConfDir, 'global.conf'),
    `global: {\n    logging-config: ${JSON.stringify(layout.logbackXml)}\n}\n`,
  );
  copyFileSync(DEBIAN.webRoutesConf, join(layout.serverConfDir, 'web-routes.conf'));
  copyFileSync(DEBIAN.bootstrapCfg, join(layout.serverServicesDir, 'bootstrap.cfg'));
  // The code volume.
  const manifests = join(layout.codedir, 'environments', 'production', 'manifests');
  mkdirSync(manifests, { recursive: true });
  writeFileSync(
    join(manifests, 'site.pp'),
    "node default {\n  notify { 'e2e': message => \"catalog compiled for ${trusted['certname']}\" }\n}\n",
  );
  for (const d of [
    layout.vardir,
    layout.logdir,
    layout.rundir,
    layout.serverVarDir,
    layout.serverRunDir,
    layout.serverLogDir,
    layout.cadir,
  ]) {
    mkdirSync(d, { recursive: true });
  }
  chownToPuppet(root);

  // crl-sync, the sidecar's script, before the server starts (its startupProbe waits for the file).
  const sidecarCmd = isRoot()
    ? ['setpriv', `--reuid=${DEBIAN.user}`, `--regid=${DEBIAN.user}`, '--init-groups', '--', '/bin/sh']
    : ['/bin/sh'];
  crlSync = spawn(sidecarCmd[0]!, [...sidecarCmd.slice(1), '-c', CRL_SYNC_SCRIPT], {
    env: {
      PATH: '/usr/bin:/bin',
      CRL_SOURCE: join(layout.crlMountDir, 'ca_crl.pem'),
      CRL_TARGET: layout.hostcrl,
      CRL_SYNC_INTERVAL: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  crlSync.stdout!.on('data', (c: Buffer) => note(`[crl-sync] ${c.toString().trim()}`));
  crlSync.stderr!.on('data', (c: Buffer) => note(`[crl-sync stderr] ${c.toString().trim()}`));
  await waitFor('crl-sync to lay out the CRL', () => existsSync(layout.hostcrl), 10_000);

  // Agent1: a client certificate from our CA (the CA server would sign its CSR in a cluster).
  const agentKeys = await generateKeyPair('rsa-2048');
  agentCertPem = await signLeaf(authority, {
    commonName: 'agent1',
    publicKey: agentKeys.publicKey,
    usages: ['clientAuth'],
    now,
    notAfter: new Date(now.getTime() + 30 * 86_400_000),
  });
  const a = agentSsldir(join(root, 'agent1'));
  mkdirSync(join(a, 'certs'), { recursive: true });
  mkdirSync(join(a, 'private_keys'), { recursive: true, mode: 0o750 });
  writeFileSync(join(a, 'certs', 'agent1.pem'), agentCertPem);
  writeFileSync(join(a, 'private_keys', 'agent1.pem'), await privateKeyToPem(agentKeys.privateKey), { mode: 0o600 });
  writeFileSync(join(a, 'certs', 'ca.pem'), authority.certPem);
  writeFileSync(join(a, 'crl.pem'), crlPem);

  server = await startPuppetserver({
    confDir: layout.serverConfDir,
    servicesDir: layout.serverServicesDir,
    port,
    logFile: join(root, 'puppetserver.log'),
  });
  note(
    `puppetserver ready on 127.0.0.1:${port} after ${(server.startMs / 1000).toFixed(1)} s (pid ${server.pid}, root ${root})`,
  );
}, SETUP_MS);

afterAll(async () => {
  if (server) note(`puppetserver stopped with exit status ${await server.stop()}`);
  crlSync?.kill('SIGTERM');
  if (ns) deleteNamespace(ns);
  if (root && !process.env.OPENVOX_KEEP_PUPPET_ROOT) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a real puppetserver with the operator-rendered configuration', () => {
  it('serves the certificate our CA issued, with the SANs agents use', () => {
    const served = execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost'], {
      input: '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(served)?.[0];
    expect(pem).toBeDefined();
    const x = new X509Certificate(pem!);
    expect(x.subject).toBe('CN=puppet');
    expect(x.verify(new X509Certificate(authority.certPem).publicKey)).toBe(true);
    expect(x.checkHost('localhost')).toBe('localhost');
  });

  it(
    'runs `puppet agent -t` for agent1 with a certificate signed by our CA (exit 0 or 2)',
    async () => {
      const run = await agent1();
      note(`agent run: ${run.command}\n  exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`);
      if (run.code !== 0 && run.code !== 2) note(run.output);
      expect([0, 2]).toContain(run.code);
      expect(run.output).toContain('catalog compiled for agent1');
      expect(new X509Certificate(agentCertPem).verify(new X509Certificate(authority.certPem).publicKey)).toBe(true);
    },
    RUN_MS,
  );

  it(
    'refuses agent1 after the operator revokes it and publishes the CRL through the Secret',
    async () => {
      const serial = new X509Certificate(agentCertPem).serialNumber.toLowerCase();
      const next = await buildCrl({
        authority,
        previousPem: crlPem,
        revoked: [{ serialNumber: serial, revocationDate: new Date() }],
        now: new Date(),
      });
      // The operator writes {ca}-ca-crl; the kubelet swaps the projected directory atomically.
      const crlSecret = applyAndReadBack(caCrlSecret(ca, next.pem));
      const published = Date.now();
      writeKubeletVolume(layout.crlMountDir, secretFiles(crlSecret), 0o644);
      chownToPuppet(layout.crlMountDir);
      const copiedMs = await waitFor(
        'crl-sync to copy the new CRL',
        () => readFileSync(layout.hostcrl, 'utf8') === next.pem,
        15_000,
      );
      note(`crl-sync copied CRL #${next.crlNumber} into ${layout.hostcrl} ${copiedMs} ms after the volume swap`);

      let refused: AgentRun | undefined;
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const run = await agent1();
        if (run.code !== 0 && run.code !== 2) {
          refused = run;
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      expect(refused).toBeDefined();
      const firstLine = refused!.output.split('\n').find((l) => /Error|alert|certificate/i.test(l)) ?? '';
      note(
        `revoked agent run refused ${((Date.now() - published) / 1000).toFixed(1)} s after publishing: exit ${refused!.code}: ${firstLine.trim()}`,
      );
      expect(refused!.code).toBe(1);
      expect(refused!.output).toMatch(/certificate unknown|certificate revoked|SSL_read|SSL_connect/);
    },
    RUN_MS,
  );
});
