// Database (OpenVox DB) with a real agent on the real node: a PostgreSQL 15 pod on a claim, a Database
// (Debian's puppetdb 7.12 in the stand-in image) serving a Certificate of the operator's CA, a Config that
// names it in databaseRef, one CA Server, and one agent pod running `puppet agent --test` (kubectl exec).
// - Before its credentials Secret exists the Database is Error, reason CredentialsSecretNotFound, with a
//   Warning Event; once the Secret is created it goes on by itself (no edit of the Database).
// - The Database turns Running; its status names its URL, which the Config renders into puppetdb.conf
//   together with storeconfigs and the puppetdb report processor.
// - After one agent run, PuppetDB's query API (asked inside the PuppetDB pod, on its 127.0.0.1 cleartext
//   port) has the agent's facts, its catalog (with the resource of the code) and its report.
// - A resync of the unchanged Database writes nothing (the owned objects keep their resourceVersions).
import { jest } from '@jest/globals';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/cluster/paths.js';
import { IMAGES } from '../src/cluster/node/images.js';
import { containerRssMiB } from '../src/e2e-support/container-rss.js';
import { importDatabaseImages } from '../src/e2e-support/database-images.js';
import { kubectlAsync, kubectlOk } from '../src/e2e-support/kubectl.js';
import { SMALL_JAVA_ARGS } from '../src/e2e-support/example-ca.js';
import { counter, metricsText, resyncController } from '../src/e2e-support/operator-control.js';
import { createNamespace, deleteNamespace } from '../src/e2e-support/namespace.js';
import { API, getObject, listObjects, type Obj } from '../src/e2e-support/objects.js';
import { agentPod, livePods, podLogs, readyPods, waitingReasons } from '../src/e2e-support/pods.js';
import { until } from '../src/e2e-support/poll.js';

const POD_MS = 420_000;
jest.setTimeout(POD_MS + 180_000);

const DB = 'production-db';
const DB_SELECTOR = `openvox.voxpupuli.org/database=${DB}`;
const CA_SELECTOR = 'openvox.voxpupuli.org/server=production-ca';
const CERTNAME = 'db-agent';
const PG = { user: 'openvoxdb', password: 'pg-e2e-s3cret', database: 'openvoxdb' };
const note = (line: string) => console.info(`[database] ${line}`);
let ns: string;

const apply = (obj: unknown) => kubectlOk(['apply', '-n', ns, '-f', '-'], obj);
const obj = (kind: string, name: string, spec: object) => ({
  apiVersion: API,
  kind,
  metadata: { name, namespace: ns },
  spec,
});
const statusOf = (resource: string, name: string) => getObject(resource, name, ns)?.status;
const [puppetdbRepository, puppetdbTag] = IMAGES.puppetdb.split(/:(?=[^:]+$)/) as [string, string];

// PostgreSQL as a user would run it beside the operator: a pod on a claim and a Service.
const postgres = [
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'pg-data' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'postgresql', labels: { app: 'postgresql' } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: {
        runAsUser: 1001,
        runAsGroup: 0,
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'postgresql',
          image: IMAGES.postgresql,
          imagePullPolicy: 'IfNotPresent',
          env: [
            { name: 'POSTGRES_USER', value: PG.user },
            { name: 'POSTGRES_PASSWORD', value: PG.password },
            { name: 'POSTGRES_DB', value: PG.database },
          ],
          ports: [{ containerPort: 5432 }],
          readinessProbe: { exec: { command: ['pg_isready', '-h', '127.0.0.1', '-U', PG.user] }, periodSeconds: 5 },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [
            { name: 'data', mountPath: '/var/lib/postgresql/data' },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'pg-data' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'postgresql' },
    spec: { selector: { app: 'postgresql' }, ports: [{ port: 5432, targetPort: 5432 }] },
  },
];

/** One PuppetDB query (v4 API) from inside the PuppetDB pod, on its 127.0.0.1 cleartext port. */
async function pdbQuery(pod: string, endpoint: string, query?: unknown): Promise<Obj[] | Obj | undefined> {
  const args = ['curl', '-sf', '-G', `http://127.0.0.1:8080/pdb/query/v4/${endpoint}`];
  if (query !== undefined) args.push('--data-urlencode', `query=${JSON.stringify(query)}`);
  const r = await kubectlAsync(['exec', '-n', ns, pod, '-c', 'openvoxdb', '--', ...args], 60_000);
  return r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}

async function agentRun(): Promise<{ code: number; log: string }> {
  const server = `production-ca.${ns}.svc`;
  const cmd = `puppet agent --test --server ${server} --ca_server ${server} --certname ${CERTNAME} --waitforcert 10 --no-usecacheonfailure 2>&1`;
  const t0 = Date.now();
  const r = await kubectlAsync(['exec', '-n', ns, 'agent', '-c', 'agent', '--', 'sh', '-c', cmd], 300_000);
  note(`agent run: exit ${r.code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { code: r.code, log: r.stdout + r.stderr };
}

beforeAll(() => {
  const t0 = Date.now();
  note(`images imported: ${importDatabaseImages().join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  ns = createNamespace('e2e-database', { runPods: true });
  for (const file of ['certificate-authority', 'certificate', 'pools']) {
    kubectlOk(['apply', '-n', ns, '-f', join(REPO_ROOT, 'examples', `${file}.yaml`)]);
  }
  apply([
    ...postgres.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } })),
    obj('SigningPolicy', 'db-agent', { certificateAuthorityRef: 'production-ca', pattern: { allow: [CERTNAME] } }),
    // The Database's certificate names the host the Servers connect to (the Service's).
    obj('Certificate', 'puppetdb-cert', {
      authorityRef: 'production-ca',
      certname: 'openvoxdb',
      dnsAltNames: [`${DB}-openvoxdb.${ns}.svc`],
    }),
    // The credentials Secret comes later: first the Database says that it lacks it.
    obj('Database', DB, {
      certificateRef: 'puppetdb-cert',
      image: { repository: puppetdbRepository, tag: puppetdbTag },
      postgres: { host: 'postgresql', database: PG.database, credentialsSecretRef: 'pg-credentials' },
      javaArgs: '-Xms128m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
      pdb: { enabled: true },
      networkPolicy: { enabled: true },
    }),
    obj('Config', 'production', {
      authorityRef: 'production-ca',
      image: { repository: 'ghcr.io/openvoxproject/openvox-server', tag: '8.8.0' },
      // The code image's site.pp: one Notify, so the catalog and the report have a resource of the code.
      code: { image: IMAGES.code },
      databaseRef: DB,
    }),
    obj('Server', 'production-ca', {
      configRef: 'production',
      certificateRef: 'production-cert',
      poolRefs: ['production-ca'],
      ca: true,
      javaArgs: SMALL_JAVA_ARGS,
    }),
    agentPod(ns, 'agent', IMAGES.agent, [], 'sleep 3600'),
  ]);
});

afterAll(() => {
  deleteNamespace(ns);
});

describe('Database with PostgreSQL and a real agent', () => {
  let dbPod: Obj;

  it('without its credentials Secret: Error CredentialsSecretNotFound and a Warning Event; with it, it goes on', async () => {
    const status = await until(
      'Database Error CredentialsSecretNotFound',
      () =>
        statusOf('database', DB)?.conditions?.[0]?.reason === 'CredentialsSecretNotFound' && statusOf('database', DB),
      POD_MS,
      () => statusOf('database', DB),
    );
    expect(status).toMatchObject({ phase: 'Error', observedGeneration: 1 });
    expect(status.conditions[0]).toMatchObject({ type: 'Ready', status: 'False' });
    expect(status.conditions[0].message).toContain('Secret pg-credentials not found');
    const events = listObjects('events', ns, '').filter(
      (e: Obj) => e.involvedObject?.kind === 'Database' && e.reason === 'CredentialsSecretNotFound',
    );
    expect(events.map((e: Obj) => e.type)).toEqual(['Warning']);
    expect(getObject('deployment', `${DB}-openvoxdb`, ns)).toBeUndefined();

    kubectlOk([
      'create',
      'secret',
      'generic',
      'pg-credentials',
      '-n',
      ns,
      `--from-literal=username=${PG.user}`,
      `--from-literal=password=${PG.password}`,
    ]);
    const t0 = Date.now();
    [dbPod] = await until(
      'the PuppetDB pod Ready',
      () => readyPods(ns, DB_SELECTOR).length === 1 && readyPods(ns, DB_SELECTOR),
      POD_MS,
      () => ({
        db: statusOf('database', DB)?.conditions,
        pods: livePods(ns, DB_SELECTOR).map((p: Obj) => ({ pod: p.metadata.name, waiting: waitingReasons(p) })),
        log: livePods(ns, DB_SELECTOR).map((p: Obj) => podLogs(ns, p.metadata.name, 'openvoxdb', 15)),
      }),
    );
    note(`PuppetDB pod Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after the Secret was created`);
    const running = await until(
      'Database Running',
      () => statusOf('database', DB)?.phase === 'Running' && statusOf('database', DB),
    );
    expect(running).toMatchObject({
      ready: 1,
      desired: 1,
      url: `https://${DB}-openvoxdb.${ns}.svc:8081`,
      observedGeneration: 1,
    });
    expect(running.conditions.map((c: Obj) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'True', 'PodsReady'],
      ['CertificateNamesHost', 'True', 'HostNamed'],
    ]);
    // The objects it owns, by the names that do not collide with a Server's, Pool's or Config's.
    for (const [kind, name] of <[string, string][]>[
      ['service', `${DB}-openvoxdb`],
      ['poddisruptionbudget', `${DB}-openvoxdb`],
      ['networkpolicy', `${DB}-openvoxdb-netpol`],
      ['configmap', `${DB}-openvoxdb-config`],
      ['secret', `${DB}-openvoxdb-database`],
    ]) {
      expect(getObject(kind, name, ns)?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Database', name: DB });
    }
  });

  it('the Config renders its URL into puppetdb.conf, with storeconfigs and the puppetdb reports', async () => {
    const cm = await until('the Config map with the Database', () => {
      const data = getObject('configmap', 'production-config', ns)?.data;
      return data?.['puppetdb.conf']?.includes('server_urls') && data;
    });
    expect(cm['puppetdb.conf']).toBe(
      `[main]\nserver_urls = https://${DB}-openvoxdb.${ns}.svc:8081\nsoft_write_failure = true\n`,
    );
    expect(cm['puppet.conf']).toMatch(
      /^storeconfigs = true\nstoreconfigs_backend = puppetdb\nreports = store,puppetdb$/m,
    );
    const t0 = Date.now();
    await until(
      'the CA pod Ready',
      () => readyPods(ns, CA_SELECTOR).length === 1,
      POD_MS,
      () => livePods(ns, CA_SELECTOR).map((p: Obj) => ({ pod: p.metadata.name, waiting: waitingReasons(p) })),
    );
    note(`CA pod Ready after ${((Date.now() - t0) / 1000).toFixed(1)} s more`);
    await until('the agent pod running', () => getObject('pod', 'agent', ns)?.status?.phase === 'Running', 120_000);
  });

  it("stores the agent's facts, catalog and report in PuppetDB", async () => {
    const { code, log } = await agentRun();
    expect({ code, log }).toMatchObject({ code: 2 });
    expect(log).toContain(`Notice: catalog from the code image for ${CERTNAME}`);
    expect(log).not.toMatch(/Error:|Warning: .*puppetdb/i);
    const pod = dbPod.metadata.name as string;
    const facts = (await until(
      'the facts in PuppetDB',
      async () => {
        const rows = (await pdbQuery(pod, 'facts', ['=', 'certname', CERTNAME])) as Obj[] | undefined;
        return rows && rows.length > 0 && rows;
      },
      120_000,
    )) as Obj[];
    const fact = (name: string) => facts.find((f: Obj) => f.name === name)?.value;
    expect(fact('kernel')).toBe('Linux');
    expect(fact('clientcert')).toBe(CERTNAME);

    const catalog = (await until(
      'the catalog in PuppetDB',
      () => pdbQuery(pod, `catalogs/${CERTNAME}`),
      120_000,
    )) as Obj;
    expect(catalog.certname).toBe(CERTNAME);
    const resources = catalog.resources.data.map((r: Obj) => `${r.type}[${r.title}]`);
    expect(resources).toEqual(expect.arrayContaining(['Stage[main]', 'Class[main]', 'Notify[code-image]']));

    const reports = (await until(
      'the report in PuppetDB',
      async () => {
        const rows = (await pdbQuery(pod, 'reports', ['=', 'certname', CERTNAME])) as Obj[] | undefined;
        return rows && rows.length > 0 && rows;
      },
      120_000,
    )) as Obj[];
    expect(reports[0]).toMatchObject({ certname: CERTNAME, status: 'changed', catalog_uuid: catalog.catalog_uuid });
    const events = (await pdbQuery(pod, 'events', ['=', 'report', reports[0].hash])) as Obj[];
    expect(events.map((e: Obj) => [e.resource_type, e.resource_title, e.status])).toEqual([
      ['Notify', 'code-image', 'success'],
    ]);

    const node = (await pdbQuery(pod, `nodes/${CERTNAME}`)) as Obj;
    expect(node).toMatchObject({ certname: CERTNAME, deactivated: null });
    note(
      `PuppetDB: ${facts.length} facts, ${resources.length} catalog resources, report status ${reports[0].status}; ` +
        `RSS puppetdb ${containerRssMiB(getObject('pod', pod, ns), 'openvoxdb').toFixed(0)} MiB, ` +
        `postgresql ${containerRssMiB(getObject('pod', 'postgresql', ns), 'postgresql').toFixed(0)} MiB`,
    );
  });

  it('a resync of the unchanged Database writes nothing', async () => {
    const versions = () =>
      [
        ['deployment', `${DB}-openvoxdb`],
        ['service', `${DB}-openvoxdb`],
        ['configmap', `${DB}-openvoxdb-config`],
        ['secret', `${DB}-openvoxdb-database`],
        ['database', DB],
      ].map(([kind, name]) => `${kind}/${name}@${getObject(kind!, name!, ns)?.metadata?.resourceVersion}`);
    const databaseWrites = async () =>
      counter(await metricsText(), 'openvox_controller_api_writes_total', 'kind="Database"');
    const before = { versions: versions(), writes: await databaseWrites() };
    await resyncController();
    expect({ versions: versions(), writes: await databaseWrites() }).toEqual(before);
    // One Warning in all: the missing Secret, reported once.
    const warnings = listObjects('events', ns, '').filter(
      (e: Obj) => e.involvedObject?.kind === 'Database' && e.type === 'Warning',
    );
    expect(warnings.map((e: Obj) => [e.reason, e.count ?? 1])).toEqual([['CredentialsSecretNotFound', 1]]);
  });
});
