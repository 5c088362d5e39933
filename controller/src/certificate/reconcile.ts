// One Certificate reconcile: wait for a Ready CA, work out the names the certificate must carry
// (spec + the Servers and Pools that use it), (re-)issue it with the CA when it is missing, expiring,
// mismatched or out of date, write `{cert}-tls`, and report Signed with notAfter. A Server that
// mounts the Secret rolls by itself (its pod template carries the Secret's content hash).
import type { Logger } from 'pino';
import {
  loadAuthority,
  parseDurationSeconds,
  type Certificate,
  type CertificateAuthority,
  type KeyAlgorithm,
  type Pool,
  type Server,
} from '@openvox/shared/runtime';
import type { Clock } from '../kube/clock.js';
import type { KubeClient, KubeObject } from '../kube/client.js';
import type { EventRecorder } from '../kube/events.js';
import type { Cache } from '../kube/informer.js';
import { applyOwned } from '../kube/owned.js';
import { CERTIFICATE, SECRET, splitKey } from '../kube/resources.js';
import type { HandlerResult } from '../kube/queue.js';
import { writePhase, type PhaseOutcome } from '../kube/phase.js';
import { CA_CERT_KEY, CA_KEY_KEY, TLS_CERT_KEY, TLS_KEY_KEY, caKeySecretName } from '../contracts/names.js';
import { certname, subjectNames } from './subject-names.js';
import { DEFAULT_CERT_LIFETIME, issueServerCertificate } from './issue.js';
import { renewalDecision, type RenewalReason } from './renewal.js';
import { tlsSecret, tlsSecretName } from './render.js';
import { certnameHolder } from './certname-conflict.js';

type SecretObject = KubeObject & { data?: Record<string, string> };

export interface CertificateReconcilerDeps {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  keyAlgorithm: KeyAlgorithm;
  caches: {
    certificates: Cache<Certificate & KubeObject>;
    authorities: Cache<CertificateAuthority & KubeObject>;
    servers: Cache<Server & KubeObject>;
    pools: Cache<Pool & KubeObject>;
    secrets: Cache<SecretObject>;
  };
}

export const CERT_SIGNED = 'CertSigned';
/** Look again at least this often (catches clock jumps; renewal itself is scheduled exactly). */
const MAX_RECHECK_MS = 12 * 3600_000;
const WAIT_FOR_CA_MS = 5_000;

const decode = (s: SecretObject | undefined, key: string): string | undefined => {
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const REASON_TEXT: Record<RenewalReason, string> = {
  Missing: 'issued',
  KeyMismatch: 're-issued because the key did not match',
  IssuerChanged: 're-issued because the CA changed',
  NamesChanged: 're-issued for new names',
  CliAuthChanged: 're-issued because a CA Server started or stopped using it (pp_cli_auth)',
  Expiring: 'renewed before expiry',
};

export class CertificateReconciler {
  constructor(private readonly d: CertificateReconcilerDeps) {}

  async reconcile(key: string): Promise<HandlerResult | void> {
    const { namespace: ns, name } = splitKey(key);
    const c = this.d.caches;
    const cert = c.certificates.get(ns, name);
    if (!cert || cert.metadata.deletionTimestamp) return;
    const now = new Date(this.d.clock.now());
    const caName = cert.spec.authorityRef;
    const ca = c.authorities.get(ns, caName);
    const keySecret = c.secrets.get(ns, caKeySecretName(caName));
    const waiting = (reason: string, message: string, phase = 'Pending'): PhaseOutcome => ({
      phase,
      conditionType: CERT_SIGNED,
      status: 'False',
      reason,
      message,
    });

    if (!ca) {
      await writePhase(
        this.d,
        CERTIFICATE,
        cert,
        waiting('CertificateAuthorityNotFound', `CertificateAuthority ${caName} not found`, 'Error'),
      );
      return;
    }
    if (ca.spec.external) {
      const msg = `CertificateAuthority ${caName} is external: issuing through an external CA is not supported yet`;
      await writePhase(this.d, CERTIFICATE, cert, waiting('ExternalCANotSupported', msg, 'Error'));
      return;
    }
    const holder = certnameHolder(cert, c.certificates.list(ns));
    if (holder) {
      // Nothing is issued (an existing Secret is left as it is: its pods keep running) until it is resolved.
      const msg = `certname "${certname(cert)}" is already used by Certificate "${holder.metadata.name}" under CertificateAuthority "${caName}": set a unique spec.certname`;
      await writePhase(this.d, CERTIFICATE, cert, waiting('CertnameConflict', msg, 'Error'));
      return;
    }

    const caCertPem = decode(keySecret, CA_CERT_KEY);
    const caKeyPem = decode(keySecret, CA_KEY_KEY);
    if (ca.status?.phase !== 'Ready' || !caCertPem || !caKeyPem) {
      await writePhase(
        this.d,
        CERTIFICATE,
        cert,
        waiting('WaitingForCA', `CertificateAuthority ${caName} is not Ready yet`),
      );
      return { requeueAfterMs: WAIT_FOR_CA_MS };
    }

    const names = subjectNames(cert, c.servers.list(ns), c.pools.list(ns));
    const secretName = tlsSecretName(name);
    const live = c.secrets.get(ns, secretName);
    let certPem = decode(live, TLS_CERT_KEY);
    let keyPem = decode(live, TLS_KEY_KEY);
    const renewBefore = cert.spec.renewBefore ?? '60d';
    // Reads certPem/keyPem when called: once for the live Secret, once for what was just issued.
    const decide = () =>
      renewalDecision({ certPem, keyPem, caCertPem, certname: certname(cert), names, renewBefore, now });
    let decision;
    try {
      decision = await decide();
      if (
        decision.renew &&
        decision.reason === 'Expiring' &&
        parseDurationSeconds(renewBefore) >= parseDurationSeconds(DEFAULT_CERT_LIFETIME)
      ) {
        // Renewing would give a certificate that is due again at once: report it instead of looping.
        const msg = `renewBefore ${renewBefore} is not shorter than the certificate lifetime ${DEFAULT_CERT_LIFETIME}`;
        await writePhase(this.d, CERTIFICATE, cert, waiting('RenewBeforeTooLong', msg, 'Error'));
        return;
      }
    } catch (err) {
      await writePhase(this.d, CERTIFICATE, cert, waiting('InvalidSpec', (err as Error).message, 'Error'));
      return;
    }
    let event: string | undefined;
    if (decision.renew) {
      const authority = await loadAuthority(caCertPem, caKeyPem);
      const issued = await issueServerCertificate({
        authority,
        cert,
        names,
        now,
        // A renewal keeps the key (as Puppet's certificate_renewal does); a mismatched key is replaced.
        existingKeyPem: decision.reason === 'KeyMismatch' ? undefined : keyPem,
        algorithm: this.d.keyAlgorithm,
      });
      certPem = issued.certPem;
      keyPem = issued.keyPem;
      event = `Certificate ${REASON_TEXT[decision.reason]} by ${caName} (serial ${issued.serialNumber}, valid until ${iso(issued.notAfter)})`;
    }
    const desired = tlsSecret(cert, { certPem: certPem!, keyPem: keyPem!, caCertPem }) as KubeObject;
    if ((await applyOwned(this.d.client, SECRET, desired, live, cert.metadata.uid!)) === 'conflict') {
      const msg = `Secret ${secretName} exists and is not controlled by this Certificate`;
      await writePhase(this.d, CERTIFICATE, cert, waiting('SecretConflict', msg, 'Error'));
      return;
    }
    if (event) {
      this.d.logger.info({ key, secret: secretName }, event);
      if (decision.renew && decision.reason !== 'Missing')
        await this.d.recorder.record(cert, 'Normal', 'CertificateRenewed', event);
    }
    const after = await decide();
    if (after.renew) {
      // Certificates never outlive their CA: close to the CA's expiry this is where it shows.
      const caNotAfter = ca.status?.notAfter ?? 'unknown';
      const msg = `the new certificate is due for renewal at once: renewBefore ${renewBefore} reaches past its expiry (lifetime ${DEFAULT_CERT_LIFETIME}, CA valid until ${caNotAfter})`;
      await writePhase(this.d, CERTIFICATE, cert, waiting('RenewBeforeTooLong', msg, 'Error'));
      return;
    }
    await writePhase(this.d, CERTIFICATE, cert, {
      phase: 'Signed',
      conditionType: CERT_SIGNED,
      status: 'True',
      reason: 'CertificateSigned',
      message: `Signed by ${caName}; Secret ${secretName}`,
      fields: { secretName, notAfter: iso(after.notAfter) },
    });
    return { requeueAfterMs: Math.max(1000, Math.min(after.renewAt.getTime() - now.getTime(), MAX_RECHECK_MS)) };
  }
}
