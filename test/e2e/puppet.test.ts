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
const READY_MS = 240_000;

const API = 'openvox.voxpupuli.org/v1alpha1';
const note = (line: string) => console.info(line);

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

/** What the kubelet projects from a Secret: base64-decoded files. */
function secretFiles(secret: V1Secret): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

function chownToPuppet(path: string): void {
  if (isRoot()) execFileSync('chown', ['-R', `${DEBIAN.user}:${DEBIAN.user}`, path]);
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

interface StackOptions {
  /**
   * 'synced': the operator's design, ssl-crl-path is the plain file crl-sync maintains.
   * 'secret-mount': the seed's / Go operator's design, ssl-crl-path is the Secret directory mount.
   */
  crl: 'synced' | 'secret-mount';
}

/** One non-CA Server pod's worth of files and processes, made by the operator's code. */
class Stack {
  ns = '';
  root = '';
  port = 0;
  layout!: ServerLayout;
  server?: RunningPuppetserver;
  crlSync?: ChildProcess;
  authority!: Authority;
  ca!: CertificateAuthority;
  agentCertPem = '';
  crlPem = '';

  constructor(private readonly options: StackOptions) {}

  /** Server-side apply as the operator does, then read back what the API server stores. */
  applyAndReadBack<T extends V1Secret | V1ConfigMap>(obj: T): T {
    const withNs = { ...obj, metadata: { ...obj.metadata, namespace: this.ns, ownerReferences: undefined } };
    kubectlOk(['apply', '--server-side', '--field-manager=openvox-operator', '-f', '-'], withNs);
    return JSON.parse(
      kubectlOk(['get', obj.kind!.toLowerCase(), obj.metadata!.name!, '-n', this.ns, '-o', 'json']),
    ) as T;
  }

  /** The init container tls-init (controller/src/server/render.ts), path for path. */
  tlsInit(sslCertDir: string, sslCaDir: string): void {
    const l = this.layout;
    for (const d of ['certs', 'private_keys', 'public_keys', 'certificate_requests', 'private']) {
      mkdirSync(join(l.ssldir, d), { recursive: true });
    }
    copyFileSync(join(sslCertDir, 'cert.pem'), l.hostcert);
    copyFileSync(join(sslCertDir, 'key.pem'), l.hostprivkey);
    copyFileSync(join(sslCaDir, 'ca_crt.pem'), l.localcacert);
    chmodSync(l.hostprivkey, 0o640);
  }

  agent1(): Promise<AgentRun> {
    return runAgent({ certname: 'agent1', dir: join(this.root, 'agent1'), server: 'localhost', port: this.port });
  }

  async up(): Promise<void> {
    const versions = ensurePuppetInstalled();
    note(`packages: puppetserver ${versions.puppetserver}, puppet-agent ${versions.puppetAgent}`);
    this.ns = createNamespace('e2e-puppet');
    this.root = mkdtempSync('/tmp/openvox-puppet-');
    chmodSync(this.root, 0o755);
    this.port = await freePort();
    const podLayout = rootedLayout(OPENVOX_IMAGE_LAYOUT, this.root, this.port);
    // The control variant renders webserver.conf with the Secret mount as ssl-crl-path.
    this.layout =
      this.options.crl === 'synced' ? podLayout : { ...podLayout, hostcrl: join(podLayout.crlMountDir, 'ca_crl.pem') };
    const l = this.layout;
    const now = new Date();

    // CertificateAuthority -> CA key and certificate (RSA 4096, the operator default) and empty CRL.
    this.ca = {
      apiVersion: API,
      kind: 'CertificateAuthority',
      metadata: { name: 'production-ca', namespace: this.ns, uid: 'u1' },
      spec: { ttl: '5y' },
    };
    const caPem = await generateAuthority(this.ca, now);
    this.authority = await loadAuthority(caPem.certPem, caPem.keyPem);
    this.crlPem = (await buildCrl({ authority: this.authority, revoked: [], now })).pem;

    // Certificate -> server certificate in {cert}-tls.
    const cert: Certificate = {
      apiVersion: API,
      kind: 'Certificate',
      metadata: { name: 'production-cert', namespace: this.ns, uid: 'u2' },
      spec: { authorityRef: 'production-ca', certname: 'puppet', dnsAltNames: ['localhost', '127.0.0.1'] },
    };
    const issued = await issueServerCertificate({
      authority: this.authority,
      cert,
      names: subjectNames(cert, [], []),
      now,
    });

    // Config -> {config}-config.
    const config: Config = {
      apiVersion: API,
      kind: 'Config',
      metadata: { name: 'production', namespace: this.ns, uid: 'u3' },
      spec: {
        image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
        authorityRef: 'production-ca',
      },
    };

    // Through the API server, as the pod would receive them.
    const configMap = this.applyAndReadBack(renderConfigMap(config, this.ca, l));
    const tls = this.applyAndReadBack(tlsSecret(cert, { ...issued, caCertPem: this.authority.certPem }));
    const caSecret = this.applyAndReadBack(caCertSecret(this.ca, this.authority.certPem));
    const crlSecret = this.applyAndReadBack(caCrlSecret(this.ca, this.crlPem));

    // Volumes of a non-CA pod: ConfigMap items via subPath, Secrets as kubelet-projected directories.
    for (const key of configKeysForRole(false)) {
      const path = CONFIG_FILES[key](l);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, configMap.data![key]!);
    }
    const sslCertDir = join(this.root, 'ssl-cert');
    const sslCaDir = join(this.root, 'ssl-ca');
    writeKubeletVolume(sslCertDir, secretFiles(tls), 0o640);
    writeKubeletVolume(sslCaDir, secretFiles(caSecret), 0o640);
    writeKubeletVolume(l.crlMountDir, secretFiles(crlSecret), 0o644);
    this.tlsInit(sslCertDir, sslCaDir);

    // Files of the image the operator does not render (deviation 4).
    writeFileSync(
      join(l.serverConfDir, 'global.conf'),
      `global: {\n    logging-config: ${JSON.stringify(l.logbackXml)}\n}\n`,
    );
    copyFileSync(DEBIAN.webRoutesConf, join(l.serverConfDir, 'web-routes.conf'));
    copyFileSync(DEBIAN.bootstrapCfg, join(l.serverServicesDir, 'bootstrap.cfg'));
    // The code volume.
    const manifests = join(l.codedir, 'environments', 'production', 'manifests');
    mkdirSync(manifests, { recursive: true });
    writeFileSync(
      join(manifests, 'site.pp'),
      "node default {\n  notify { 'e2e': message => \"catalog compiled for ${trusted['certname']}\" }\n}\n",
    );
    for (const d of [l.vardir, l.logdir, l.rundir, l.serverVarDir, l.serverRunDir, l.serverLogDir, l.cadir]) {
      mkdirSync(d, { recursive: true });
    }
    chownToPuppet(this.root);

    if (this.options.crl === 'synced') {
      // crl-sync, the sidecar's script, before the server starts (its startupProbe waits for the file).
      const asPuppet = isRoot()
        ? ['setpriv', `--reuid=${DEBIAN.user}`, `--regid=${DEBIAN.user}`, '--init-groups', '--']
        : [];
      const argv = [...asPuppet, '/bin/sh', '-c', CRL_SYNC_SCRIPT];
      this.crlSync = spawn(argv[0]!, argv.slice(1), {
        env: {
          PATH: '/usr/bin:/bin',
          CRL_SOURCE: join(l.crlMountDir, 'ca_crl.pem'),
          CRL_TARGET: l.hostcrl,
          CRL_SYNC_INTERVAL: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      this.crlSync.stdout!.on('data', (c: Buffer) => note(`[crl-sync] ${c.toString().trim()}`));
      this.crlSync.stderr!.on('data', (c: Buffer) => note(`[crl-sync stderr] ${c.toString().trim()}`));
      await waitFor('crl-sync to lay out the CRL', () => existsSync(l.hostcrl), 10_000);
    }

    // Agent1: a client certificate from our CA (the CA server would sign its CSR in a cluster).
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

    this.server = await startPuppetserver(
      {
        confDir: l.serverConfDir,
        servicesDir: l.serverServicesDir,
        port: this.port,
        logFile: join(this.root, 'puppetserver.log'),
      },
      // 16-30 s on an idle 2-core machine (reference §8); 75 s was seen under load from other suites.
      READY_MS,
    );
    note(
      `puppetserver (${this.options.crl}) ready on 127.0.0.1:${this.port} after ${(this.server.startMs / 1000).toFixed(1)} s (pid ${this.server.pid}, root ${this.root})`,
    );
  }

  /** The operator revokes agent1: a new CRL in {ca}-ca-crl, then the kubelet's atomic volume swap. */
  async revokeAgent1(): Promise<{ crlPem: string; crlNumber: bigint }> {
    const serial = new X509Certificate(this.agentCertPem).serialNumber.toLowerCase();
    const next = await buildCrl({
      authority: this.authority,
      previousPem: this.crlPem,
      revoked: [{ serialNumber: serial, revocationDate: new Date() }],
      now: new Date(),
    });
    const crlSecret = this.applyAndReadBack(caCrlSecret(this.ca, next.pem));
    writeKubeletVolume(this.layout.crlMountDir, secretFiles(crlSecret), 0o644);
    chownToPuppet(this.layout.crlMountDir);
    return { crlPem: next.pem, crlNumber: next.crlNumber };
  }

  async down(): Promise<void> {
    if (this.server) note(`puppetserver (${this.options.crl}) stopped with exit status ${await this.server.stop()}`);
    this.crlSync?.kill('SIGTERM');
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

describe('a real puppetserver with the operator-rendered configuration', () => {
  const stack = new Stack({ crl: 'synced' });
  beforeAll(() => stack.up(), SETUP_MS);
  afterAll(() => stack.down(), 60_000);

  it('serves the certificate our CA issued, with the SANs agents use', () => {
    const served = execFileSync(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${stack.port}`, '-servername', 'localhost'],
      {
        input: '',
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(served)?.[0];
    expect(pem).toBeDefined();
    const x = new X509Certificate(pem!);
    expect(x.subject).toBe('CN=puppet');
    expect(x.verify(new X509Certificate(stack.authority.certPem).publicKey)).toBe(true);
    expect(x.checkHost('localhost')).toBe('localhost');
  });

  it(
    'runs `puppet agent -t` for agent1 with a certificate signed by our CA (exit 0 or 2)',
    async () => {
      const run = await stack.agent1();
      note(`agent run: ${run.command}\n  exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s`);
      if (run.code !== 0 && run.code !== 2) note(run.output);
      expect([0, 2]).toContain(run.code);
      expect(run.output).toContain('catalog compiled for agent1');
      expect(
        new X509Certificate(stack.agentCertPem).verify(new X509Certificate(stack.authority.certPem).publicKey),
      ).toBe(true);
    },
    RUN_MS,
  );

  it(
    'refuses agent1 after the operator revokes it and publishes the CRL through the Secret',
    async () => {
      const published = Date.now();
      const next = await stack.revokeAgent1();
      const copiedMs = await waitFor(
        'crl-sync to copy the new CRL',
        () => readFileSync(stack.layout.hostcrl, 'utf8') === next.crlPem,
        15_000,
      );
      note(`crl-sync copied CRL #${next.crlNumber} into ${stack.layout.hostcrl} ${copiedMs} ms after the volume swap`);
      const { refused, runs } = await runUntilRefused(stack, 90_000);
      expect(refused).toBeDefined();
      const line = refused!.output.split('\n').find((l) => /Error|alert|certificate/i.test(l)) ?? '';
      note(
        `revoked agent1 refused ${((Date.now() - published) / 1000).toFixed(1)} s after publishing (agent run ${runs}): exit ${refused!.code}: ${line.trim()}`,
      );
      expect(refused!.code).toBe(1);
      expect(refused!.output).toMatch(/certificate unknown|certificate revoked|SSL_read|SSL_connect/);
    },
    RUN_MS,
  );
});

// Control: the seed's design (ssl-crl-path on the Secret's directory mount) with the same CRL update.
// puppetserver keeps accepting the revoked agent, which is why the operator ships crl-sync.
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
      expect(readFileSync(stack.layout.hostcrl, 'utf8')).toBe(next.crlPem);
      const { refused, runs } = await runUntilRefused(stack, WATCH_MS);
      note(`control: ${runs} agent runs over ${WATCH_MS / 1000} s after the swap, refused: ${refused ? 'yes' : 'no'}`);
      expect(refused).toBeUndefined();
    },
    RUN_MS,
  );
});
