// The real proof: the operator (running against the local API server) turns a Config, a
// CertificateAuthority and a Certificate into the ConfigMap and Secrets a Server pod mounts; this test
// reads them back from the API server, lays them out exactly as the pod's volumes and tls-init would
// (at the pod's own paths, /etc/puppetlabs/...), starts Debian's puppetserver 7.9.5 on them, and shows
// `puppet agent -t` succeeding with a certificate signed by the operator's CA. Then agent1 is revoked:
// a new CRL (built with the operator's CRL code and CA key) is published in `{ca}-ca-crl`, the volume
// is swapped the way the kubelet does it, the crl-sync sidecar logic copies it into the plain file
// webserver.conf names, and the next agent run is refused. A control run shows the seed's design
// (ssl-crl-path on the Secret mount itself) keeps accepting the revoked agent.
//
// Deviations from a pod, all forced by running the Debian package instead of the OpenVox image:
//  1. a private mount + network namespace (test/src/puppet/pod-namespace.ts) bind-mounts the pod's
//     directories (/etc/puppetlabs, /opt/puppetlabs, /var/log/puppetlabs, /var/run/puppetlabs,
//     /run/puppetserver) from a scratch directory; the Debian package's JRuby directories appear, as
//     absolute symlinks, at the AIO paths the operator's puppetserver.conf names (vendor_ruby,
//     vendored-jruby-gems; jruby-gems starts empty as the image's does);
//     the namespace has only its own loopback, where the operator's 0.0.0.0:8140 listens;
//  2. global.conf (logging-config: the operator's logback.xml path), web-routes.conf and bootstrap.cfg
//     are files the image ships and the operator does not render: taken from the Debian package;
//  3. the server runs as the package's `puppet` user instead of uid 1001; crl-sync runs as a process
//     instead of a sidecar container; tls-init's five lines run as TypeScript;
//  4. agent1's certificate is signed by the test with the operator's CA key (a CA Server would sign
//     its CSR in a cluster), and the revocation CRL is built by the test with the operator's CRL code.
import { type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import { generateKeyPair, loadAuthority, privateKeyToPem, signLeaf, type Authority } from '@openvox/shared/pki';
import { renderWebserverConf } from '../../controller/src/config/files/webserver-conf.js';
import {
  CONFIG_FILES,
  configKeysForRole,
  OPENVOX_IMAGE_LAYOUT,
  SSLDIR_SUBDIRS,
} from '../../controller/src/contracts/pod-layout.js';
import { buildCrl } from '../../controller/src/certificate-authority/crl.js';
import { caCrlSecret } from '../../controller/src/certificate-authority/render.js';
import { CRL_SYNC_SCRIPT } from '../../controller/src/server/render/crl-sync.js';
import { CA_INIT_SCRIPT } from '../../controller/src/server/render/ca-init.js';
import { withAppliedHash } from '../../controller/src/kube/owned.js';
import type { KubeObject } from '../../controller/src/kube/client.js';
import { kubectl, kubectlOk } from '../src/e2e-support/kubectl.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { DEBIAN, ensurePuppetInstalled, isRoot } from '../src/puppet/debian.js';
import { writeKubeletVolume } from '../src/puppet/kubelet-volume.js';
import { mirrorWithLinks, startPodNamespace, type PodNamespace } from '../src/puppet/pod-namespace.js';
import { startPuppetserver, type RunningPuppetserver } from '../src/puppet/puppetserver.js';
import { agentSsldir, runAgent, type AgentRun } from '../src/puppet/agent.js';

const SETUP_MS = 360_000;
const RUN_MS = 180_000;
// 16-30 s on an idle 2-core machine (docs/puppetserver.md); 75 s was seen under load from other suites.
const READY_MS = 240_000;
const API = 'openvox.voxpupuli.org/v1alpha1';
const L = OPENVOX_IMAGE_LAYOUT;
const PORT = L.sslPort;
const note = (line: string) => console.info(line);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

function get(ns: string, kind: string, name: string): Obj | undefined {
  const r = kubectl(['get', kind, name, '-n', ns, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
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

interface StackOptions {
  /**
   * 'synced': the operator's design, ssl-crl-path is the plain file crl-sync maintains.
   * 'secret-mount': control, ssl-crl-path on the Secret directory mount (the seed's design).
   * 'ca-server': a CA Server pod: CA service enabled, cadir seeded by ca-init from the operator's CA.
   */
  crl: 'synced' | 'secret-mount' | 'ca-server';
}

/** One non-CA Server pod's worth of files and processes, from the operator's objects. */
class Stack {
  ns = '';
  root = '';
  pod?: PodNamespace;
  server?: RunningPuppetserver;
  crlSync?: ChildProcess;
  authority!: Authority;
  agentCertPem = '';
  crlPem = '';

  constructor(private readonly options: StackOptions) {}

  /** A pod path inside the scratch root. */
  r(path: string): string {
    return join(this.root, path);
  }

  /** The init container tls-init (controller/src/server/render/tls-init.ts), path for path. */
  tlsInit(sslCertDir: string, sslCaDir: string): void {
    for (const d of SSLDIR_SUBDIRS) {
      mkdirSync(this.r(join(L.ssldir, d)), { recursive: true });
    }
    copyFileSync(join(sslCertDir, 'cert.pem'), this.r(L.hostcert));
    copyFileSync(join(sslCertDir, 'key.pem'), this.r(L.hostprivkey));
    copyFileSync(join(sslCaDir, 'ca_crt.pem'), this.r(L.localcacert));
    chmodSync(this.r(L.hostprivkey), 0o640);
  }

  inPod(argv: string[]): string[] {
    return ['nsenter', `--target=${this.pod!.pid}`, '--mount', '--net', '--', ...argv];
  }

  agent1(): Promise<AgentRun> {
    return this.agent('agent1');
  }

  agent(certname: string): Promise<AgentRun> {
    return runAgent({
      certname,
      dir: join(this.root, certname),
      server: 'localhost',
      port: PORT,
      prefix: this.inPod([]),
    });
  }

  async up(): Promise<void> {
    const versions = ensurePuppetInstalled();
    note(`packages: puppetserver ${versions.puppetserver}, puppet-agent ${versions.puppetAgent}`);
    this.ns = createNamespace('e2e-puppet');
    this.root = mkdtempSync('/tmp/openvox-pod-');
    chmodSync(this.root, 0o755);

    // The user's objects; everything else comes from the operator.
    kubectlOk(
      ['apply', '-n', this.ns, '-f', '-'],
      [
        { apiVersion: API, kind: 'CertificateAuthority', metadata: { name: 'production-ca' }, spec: { ttl: '5y' } },
        {
          apiVersion: API,
          kind: 'Certificate',
          metadata: { name: 'production-cert' },
          spec: { authorityRef: 'production-ca', certname: 'puppet', dnsAltNames: ['localhost', '127.0.0.1'] },
        },
        {
          apiVersion: API,
          kind: 'Config',
          metadata: { name: 'production' },
          spec: {
            image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
            authorityRef: 'production-ca',
            // The CA Server signs agents' CSRs; autosign keeps the test non-interactive.
            ...(this.options.crl === 'ca-server' ? { puppet: { extraConfig: { server: { autosign: 'true' } } } } : {}),
          },
        },
      ],
    );
    const started = Date.now();
    await until(
      'Certificate Signed',
      () => get(this.ns, 'certificates.openvox.voxpupuli.org', 'production-cert')?.status?.phase === 'Signed',
    );
    await until(
      'Config Running',
      () => get(this.ns, 'configs.openvox.voxpupuli.org', 'production')?.status?.phase === 'Running',
    );
    note(
      `operator: CA Ready, Certificate Signed and Config Running ${((Date.now() - started) / 1000).toFixed(1)} s after apply`,
    );
    const configMap = get(this.ns, 'configmap', 'production-config') as V1ConfigMap;
    const tls = get(this.ns, 'secret', 'production-cert-tls') as V1Secret;
    const caSecret = get(this.ns, 'secret', 'production-ca-ca') as V1Secret;
    const crlSecret = get(this.ns, 'secret', 'production-ca-ca-crl') as V1Secret;
    const keySecret = secretFiles(get(this.ns, 'secret', 'production-ca-ca-key') as V1Secret);
    this.authority = await loadAuthority(keySecret['ca_crt.pem']!, keySecret['ca_key.pem']!);
    this.crlPem = secretFiles(crlSecret)['ca_crl.pem']!;

    // Volumes of a non-CA pod: ConfigMap items via subPath, Secrets as kubelet-projected directories.
    const isCa = this.options.crl === 'ca-server';
    for (const key of configKeysForRole(isCa)) {
      const path = this.r(CONFIG_FILES[key](L));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, configMap.data![key]!);
    }
    if (this.options.crl === 'secret-mount') {
      // Control only: the same writer with the Secret mount as ssl-crl-path.
      const crlOnMount = { ...L, hostcrl: join(L.crlMountDir, 'ca_crl.pem') };
      writeFileSync(this.r(CONFIG_FILES['webserver.conf'](L)), renderWebserverConf({ image: {} }, crlOnMount));
    }
    const sslCertDir = this.r('/ssl-cert');
    const sslCaDir = this.r('/ssl-ca');
    writeKubeletVolume(sslCertDir, secretFiles(tls), 0o640);
    writeKubeletVolume(sslCaDir, secretFiles(caSecret), 0o640);
    writeKubeletVolume(this.r(L.crlMountDir), secretFiles(crlSecret), 0o644);
    this.tlsInit(sslCertDir, sslCaDir);
    if (isCa) {
      // ca-init: the CA pod's cadir (the {ca}-data claim) seeded from {ca}-ca-key and {ca}-ca-crl.
      writeKubeletVolume(this.r('/ca-key'), keySecret, 0o640);
      writeKubeletVolume(this.r('/ca-crl'), secretFiles(crlSecret), 0o644);
      mkdirSync(this.r(L.cadir), { recursive: true });
      const out = execFileSync('/bin/sh', ['-c', CA_INIT_SCRIPT], {
        env: {
          PATH: '/usr/bin:/bin',
          CA_DIR: this.r(L.cadir),
          CA_KEY_DIR: this.r('/ca-key'),
          CA_CRL_DIR: this.r('/ca-crl'),
        },
        encoding: 'utf8',
      });
      note(`[ca-init] ${out.trim()}`);
    }

    // Files of the image the operator does not render (deviation 2).
    const confD = this.r(L.serverConfDir);
    writeFileSync(join(confD, 'global.conf'), `global: {\n    logging-config: ${JSON.stringify(L.logbackXml)}\n}\n`);
    copyFileSync(DEBIAN.webRoutesConf, join(confD, 'web-routes.conf'));
    copyFileSync(DEBIAN.bootstrapCfg, join(this.r(L.serverServicesDir), 'bootstrap.cfg'));
    // The code volume.
    const manifests = this.r(join(L.codedir, 'environments', 'production', 'manifests'));
    mkdirSync(manifests, { recursive: true });
    writeFileSync(
      join(manifests, 'site.pp'),
      "node default {\n  notify { 'e2e': message => \"catalog compiled for ${trusted['certname']}\" }\n}\n",
    );
    // emptyDirs, and the Debian JRuby directories at the image's paths (deviation 1).
    for (const d of [
      L.vardir,
      L.logdir,
      L.rundir,
      L.serverVarDir,
      L.serverRunDir,
      L.serverLogDir,
      L.cadir,
      ...L.gemPath,
    ]) {
      mkdirSync(this.r(d), { recursive: true });
    }
    mirrorWithLinks(DEBIAN.rubyLoadPath[0], this.r(L.rubyLoadPath[0]!));
    mirrorWithLinks(DEBIAN.gemPath[1], this.r(L.gemPath[1]!));
    chownToPuppet(this.root);

    this.pod = await startPodNamespace([
      [this.r('/etc/puppetlabs'), '/etc/puppetlabs'],
      [this.r('/opt/puppetlabs'), '/opt/puppetlabs'],
      [this.r('/var/log/puppetlabs'), '/var/log/puppetlabs'],
      [this.r('/var/run/puppetlabs'), '/var/run/puppetlabs'],
      [this.r('/run/puppetserver'), '/run/puppetserver'],
    ]);

    if (this.options.crl === 'synced') {
      // crl-sync, the sidecar's script, before the server starts (its startupProbe waits for the file).
      const asPuppet = isRoot()
        ? ['setpriv', `--reuid=${DEBIAN.user}`, `--regid=${DEBIAN.user}`, '--init-groups', '--']
        : [];
      this.crlSync = this.pod.spawn([...asPuppet, '/bin/sh', '-c', CRL_SYNC_SCRIPT], {
        env: {
          PATH: '/usr/bin:/bin',
          CRL_SOURCE: join(L.crlMountDir, 'ca_crl.pem'),
          CRL_TARGET: L.hostcrl,
          CRL_SYNC_INTERVAL: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.crlSync.stdout!.on('data', (c: Buffer) => note(`[crl-sync] ${c.toString().trim()}`));
      this.crlSync.stderr!.on('data', (c: Buffer) => note(`[crl-sync stderr] ${c.toString().trim()}`));
      await until(
        'crl-sync to lay out the CRL',
        () => spawnSync('test', ['-s', this.r(L.hostcrl)]).status === 0,
        10_000,
      );
    }

    // Agent1: a client certificate from the operator's CA (deviation 4).
    const now = new Date();
    const agentKeys = await generateKeyPair('rsa-2048');
    this.agentCertPem = await signLeaf(this.authority, {
      commonName: 'agent1',
      publicKey: agentKeys.publicKey,
      usages: ['clientAuth'],
      now,
      notAfter: new Date(now.getTime() + 30 * 86_400_000),
    });
    const a = agentSsldir(join(this.root, 'agent1'));
    mkdirSync(join(a, 'certs'), { recursive: true });
    mkdirSync(join(a, 'private_keys'), { recursive: true, mode: 0o750 });
    writeFileSync(join(a, 'certs', 'agent1.pem'), this.agentCertPem);
    writeFileSync(join(a, 'private_keys', 'agent1.pem'), await privateKeyToPem(agentKeys.privateKey), { mode: 0o600 });
    writeFileSync(join(a, 'certs', 'ca.pem'), this.authority.certPem);
    writeFileSync(join(a, 'crl.pem'), this.crlPem);

    const curl = this.inPod(['curl', '-sk', '--max-time', '2', `https://127.0.0.1:${PORT}/status/v1/simple`]);
    this.server = await startPuppetserver(
      {
        confDir: L.serverConfDir,
        servicesDir: L.serverServicesDir,
        port: PORT,
        logFile: join(this.root, 'puppetserver.log'),
        prefix: this.inPod([]),
        probe: async () => spawnSync(curl[0]!, curl.slice(1), { encoding: 'utf8' }).stdout === 'running',
      },
      READY_MS,
    );
    note(
      `puppetserver (${this.options.crl}) ready on 0.0.0.0:${PORT} in the pod namespace after ${(this.server.startMs / 1000).toFixed(1)} s (pid ${this.server.pid}, root ${this.root})`,
    );
  }

  /** Revokes agent1: a new CRL in {ca}-ca-crl through the API server, then the kubelet's volume swap. */
  async revokeAgent1(): Promise<{ crlPem: string; crlNumber: bigint }> {
    const serial = new X509Certificate(this.agentCertPem).serialNumber.toLowerCase();
    const next = await buildCrl({
      authority: this.authority,
      previousPem: this.crlPem,
      revoked: [{ serialNumber: serial, revocationDate: new Date() }],
      now: new Date(),
    });
    const ca = get(this.ns, 'certificateauthorities.openvox.voxpupuli.org', 'production-ca');
    const desired = withAppliedHash(caCrlSecret(ca, next.pem) as KubeObject);
    kubectlOk(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=openvox-operator', '-n', this.ns, '-f', '-'],
      desired,
    );
    const published = await until('the new CRL in production-ca-ca-crl', () => {
      const s = get(this.ns, 'secret', 'production-ca-ca-crl') as V1Secret | undefined;
      return s && secretFiles(s)['ca_crl.pem'] === next.pem && s;
    });
    writeKubeletVolume(this.r(L.crlMountDir), secretFiles(published), 0o644);
    chownToPuppet(this.r(L.crlMountDir));
    return { crlPem: next.pem, crlNumber: next.crlNumber };
  }

  async down(): Promise<void> {
    if (this.server) note(`puppetserver (${this.options.crl}) stopped with exit status ${await this.server.stop()}`);
    this.crlSync?.kill('SIGTERM');
    this.pod?.stop();
    if (this.ns) deleteNamespace(this.ns);
    if (this.root && !process.env.OPENVOX_KEEP_PUPPET_ROOT) rmSync(this.root, { recursive: true, force: true });
  }
}

/** Agent runs until one is refused or the deadline passes. */
async function runUntilRefused(stack: Stack, deadlineMs: number): Promise<{ refused?: AgentRun; runs: number }> {
  const deadline = Date.now() + deadlineMs;
  let runs = 0;
  while (Date.now() < deadline) {
    const run = await stack.agent1();
    runs += 1;
    if (run.code !== 0 && run.code !== 2) return { refused: run, runs };
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { runs };
}

describe('a real puppetserver with the files and certificates the operator made', () => {
  const stack = new Stack({ crl: 'synced' });
  beforeAll(() => stack.up(), SETUP_MS);
  afterAll(() => stack.down(), 60_000);

  it('serves the certificate the operator issued, with the SANs agents use', () => {
    const argv = stack.inPod(['openssl', 's_client', '-connect', `127.0.0.1:${PORT}`, '-servername', 'localhost']);
    const served = execFileSync(argv[0]!, argv.slice(1), {
      input: '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(served)?.[0];
    expect(pem).toBeDefined();
    const x = new X509Certificate(pem!);
    expect(x.subject).toBe('CN=puppet');
    expect(x.verify(new X509Certificate(stack.authority.certPem).publicKey)).toBe(true);
    expect(x.checkHost('localhost')).toBe('localhost');
  });

  it(
    'runs `puppet agent -t` for agent1 with a certificate signed by the operator CA (exit 0 or 2)',
    async () => {
      const run = await stack.agent1();
      note(`agent run: ${run.command}\n  exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`);
      if (run.code !== 0 && run.code !== 2) note(run.output);
      expect([0, 2]).toContain(run.code);
      expect(run.output).toContain('catalog compiled for agent1');
    },
    RUN_MS,
  );

  it(
    'refuses agent1 after its revocation is published through the {ca}-ca-crl Secret',
    async () => {
      const started = Date.now();
      const next = await stack.revokeAgent1();
      const swapped = Date.now();
      await until(
        'crl-sync to copy the new CRL',
        () => readFileSync(stack.r(L.hostcrl), 'utf8') === next.crlPem,
        15_000,
      );
      const copiedMs = Date.now() - swapped;
      note(`crl-sync copied CRL #${next.crlNumber} to ${L.hostcrl} ${copiedMs} ms after the volume swap`);
      const { refused, runs } = await runUntilRefused(stack, 90_000);
      expect(refused).toBeDefined();
      const line = refused!.output.split('\n').find((l) => /Error|alert|certificate/i.test(l)) ?? '';
      note(
        `revoked agent1 refused ${((Date.now() - started) / 1000).toFixed(1)} s after the CRL was applied (agent run ${runs}): exit ${refused!.code}: ${line.trim()}`,
      );
      expect(refused!.code).toBe(1);
      expect(refused!.output).toMatch(/certificate unknown|certificate revoked|SSL_read|SSL_connect/);
    },
    RUN_MS,
  );
});

describe('control: ssl-crl-path on the Secret volume itself', () => {
  const stack = new Stack({ crl: 'secret-mount' });
  const WATCH_MS = 40_000;
  beforeAll(() => stack.up(), SETUP_MS);
  afterAll(() => stack.down(), 60_000);

  it(
    `still accepts the revoked agent ${WATCH_MS / 1000} s after the kubelet-style swap`,
    async () => {
      const before = await stack.agent1();
      expect([0, 2]).toContain(before.code);
      const next = await stack.revokeAgent1();
      expect(readFileSync(stack.r(join(L.crlMountDir, 'ca_crl.pem')), 'utf8')).toBe(next.crlPem);
      const { refused, runs } = await runUntilRefused(stack, WATCH_MS);
      note(`control: ${runs} agent runs over ${WATCH_MS / 1000} s after the swap, refused: ${refused ? 'yes' : 'no'}`);
      expect(refused).toBeUndefined();
    },
    RUN_MS,
  );
});

describe('a CA Server pod: the CA service, seeded by ca-init with the operator CA, signs an agent', () => {
  const stack = new Stack({ crl: 'ca-server' });
  beforeAll(() => stack.up(), SETUP_MS);
  afterAll(() => stack.down(), 60_000);

  it(
    'autosigns agent2 with the operator CA, and agent2 gets a catalog (exit 0 or 2)',
    async () => {
      const run = await stack.agent('agent2');
      note(`CA pod agent run: ${run.command}\n  exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`);
      if (run.code !== 0 && run.code !== 2) note(run.output);
      expect([0, 2]).toContain(run.code);
      expect(run.output).toContain('catalog compiled for agent2');
      const agentCert = new X509Certificate(
        readFileSync(join(agentSsldir(join(stack.root, 'agent2')), 'certs', 'agent2.pem')),
      );
      const ca = new X509Certificate(stack.authority.certPem);
      expect(agentCert.subject).toBe('CN=agent2');
      expect(agentCert.checkIssued(ca)).toBe(true);
      expect(agentCert.verify(ca.publicKey)).toBe(true);
    },
    RUN_MS,
  );
});
