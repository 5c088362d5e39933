// The pod's volumes and the server container's mounts, both from the pod layout.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import {
  AUTOSIGN_EXECUTABLE_KEY,
  AUTOSIGN_POLICY_KEY,
  ENC_EXECUTABLE_KEY,
  ENC_SETTINGS_KEY,
  REPORT_PROCESSOR_KEY,
  REPORT_SETTINGS_KEY,
  encSecretName,
  reportProcessorsSecretName,
} from '../../contracts/names.js';
import {
  OPENVOX_IMAGE_LAYOUT,
  VOLUME,
  configFileMounts,
  writableDirs,
  type ServerLayout,
} from '../../contracts/pod-layout.js';
import {
  autosignSecretName,
  caDataClaimName,
  caKeySecretName,
  caSecretName,
  certSecretName,
  configMapName,
  crlSecretName,
} from '../names.js';
import type { RenderInput } from './types.js';
import { codeMountPath, codeSource } from './code.js';

const SECRET_MODE = 0o640;
// The CA private key: readable by the pod's group (gid 0) only, never world.
const CA_KEY_MODE = 0o440;
// The autosign script: run by the pod's group, never written.
const AUTOSIGN_EXECUTABLE_MODE = 0o550;

export function podVolumes(input: RenderInput, layout: ServerLayout = OPENVOX_IMAGE_LAYOUT): V1Volume[] {
  const { server, config, certificate, ca } = input;
  const isCA = server.spec.ca === true;
  const caName = ca.metadata.name!;
  const cmName = configMapName(config.metadata.name!);
  const crl: V1Volume = { name: VOLUME.crl, secret: { secretName: crlSecretName(caName), defaultMode: SECRET_MODE } };

  const volumes: V1Volume[] = [
    { name: VOLUME.ssl, emptyDir: {} },
    ...writableDirs(layout).map((d) => ({ name: d.volume, emptyDir: {} })),
    { name: VOLUME.sslCert, secret: { secretName: certSecretName(certificate), defaultMode: SECRET_MODE } },
    { name: VOLUME.sslCa, secret: { secretName: caSecretName(ca), defaultMode: SECRET_MODE } },
    ...configFileMounts(isCA, layout).map((f) => ({
      name: f.volume,
      configMap: { name: cmName, items: [{ key: f.key, path: f.file }] },
    })),
  ];
  if (isCA) {
    volumes.push(
      { name: VOLUME.caData, persistentVolumeClaim: { claimName: caDataClaimName(caName) } },
      {
        name: VOLUME.autosignPolicy,
        secret: {
          secretName: autosignSecretName(caName),
          // Read (policy) and run (script) through the pod's gid 0; the files are root's.
          items: [
            { key: AUTOSIGN_POLICY_KEY, path: AUTOSIGN_POLICY_KEY, mode: CA_KEY_MODE },
            { key: AUTOSIGN_EXECUTABLE_KEY, path: AUTOSIGN_EXECUTABLE_KEY, mode: AUTOSIGN_EXECUTABLE_MODE },
          ],
        },
      },
      // Read only by the ca-init container, which seeds an empty CA volume with the operator's CA.
      { name: VOLUME.caKey, secret: { secretName: caKeySecretName(caName), defaultMode: CA_KEY_MODE } },
      crl,
    );
  } else {
    volumes.push(crl);
  }
  volumes.push(...integrationVolumes(input, layout));
  const code = codeSource(server, config);
  if (code?.image) {
    volumes.push({
      name: VOLUME.code,
      image: { reference: code.image, pullPolicy: code.imagePullPolicy || 'IfNotPresent' },
    });
  } else if (code) {
    volumes.push({ name: VOLUME.code, persistentVolumeClaim: { claimName: code.claimName!, readOnly: true } });
  }
  return volumes;
}

/** The openvox-server container's mounts: each at the path the layout names for it. */
export function serverMounts(input: RenderInput, layout: ServerLayout = OPENVOX_IMAGE_LAYOUT): V1VolumeMount[] {
  const { server, config } = input;
  const isCA = server.spec.ca === true;
  const mounts: V1VolumeMount[] = [
    { name: VOLUME.ssl, mountPath: layout.ssldir },
    ...writableDirs(layout).map((d) => ({ name: d.volume, mountPath: d.mountPath })),
    ...configFileMounts(isCA, layout).map((f) => ({
      name: f.volume,
      mountPath: f.mountPath,
      subPath: f.file,
      readOnly: true,
    })),
  ];
  if (isCA) {
    mounts.push(
      { name: VOLUME.caData, mountPath: layout.cadir },
      // A directory mount: the kubelet refreshes it, and the script reads the policy on every CSR, so an
      // edited SigningPolicy applies without restarting the CA.
      { name: VOLUME.autosignPolicy, mountPath: layout.autosignDir, readOnly: true },
    );
  } else {
    // A directory mount (no subPath) so the kubelet keeps the CRL current; the crl-sync sidecar copies it
    // into the plain file webserver.conf names, since puppetserver ignores the kubelet's symlink swap.
    mounts.push({ name: VOLUME.crl, mountPath: layout.crlMountDir, readOnly: true });
  }
  mounts.push(...integrationMounts(input, layout));
  if (codeSource(server, config)) mounts.push({ name: VOLUME.code, mountPath: codeMountPath(config), readOnly: true });
  return mounts;
}

/** The ENC and report processor Secrets reach only pods that compile catalogs (not a CA-only Server). */
function activeIntegrations({ server, integrations }: RenderInput) {
  const compiles = server.spec.server !== false;
  return { enc: compiles ? integrations?.enc : undefined, reports: compiles && integrations?.reportProcessors };
}

/** The ENC cache directory, unless it already lies on a writable volume of the pod (then no extra mount). */
function encCacheDir(input: RenderInput, layout: ServerLayout): string | undefined {
  const dir = activeIntegrations(input).enc?.cacheDirectory?.replace(/\/+$/, '');
  if (!dir) return undefined;
  const writable = writableDirs(layout).some((d) => dir === d.mountPath || dir.startsWith(`${d.mountPath}/`));
  return writable ? undefined : dir;
}

function integrationVolumes(input: RenderInput, layout: ServerLayout): V1Volume[] {
  const config = input.config.metadata.name!;
  const { enc, reports } = activeIntegrations(input);
  const volumes: V1Volume[] = [];
  if (enc) {
    volumes.push({
      name: VOLUME.enc,
      secret: {
        secretName: encSecretName(config),
        // Run (script) and read (settings, with the classifier's credentials) through the pod's gid 0.
        items: [
          { key: ENC_EXECUTABLE_KEY, path: ENC_EXECUTABLE_KEY, mode: AUTOSIGN_EXECUTABLE_MODE },
          { key: ENC_SETTINGS_KEY, path: ENC_SETTINGS_KEY, mode: CA_KEY_MODE },
        ],
      },
    });
    if (encCacheDir(input, layout)) volumes.push({ name: VOLUME.encCache, emptyDir: {} });
  }
  if (reports) {
    volumes.push({
      name: VOLUME.reportProcessors,
      secret: {
        secretName: reportProcessorsSecretName(config),
        items: [
          { key: REPORT_PROCESSOR_KEY, path: REPORT_PROCESSOR_KEY, mode: CA_KEY_MODE },
          { key: REPORT_SETTINGS_KEY, path: REPORT_SETTINGS_KEY, mode: CA_KEY_MODE },
        ],
      },
    });
  }
  return volumes;
}

function integrationMounts(input: RenderInput, layout: ServerLayout): V1VolumeMount[] {
  const { enc, reports } = activeIntegrations(input);
  const mounts: V1VolumeMount[] = [];
  // Directory mounts (no subPath): the kubelet keeps them current, and the scripts read their settings
  // on every call, so an edited NodeClassifier or ReportProcessor applies without a restart.
  if (enc) {
    mounts.push({ name: VOLUME.enc, mountPath: layout.encDir, readOnly: true });
    const cache = encCacheDir(input, layout);
    if (cache) mounts.push({ name: VOLUME.encCache, mountPath: cache });
  }
  if (reports) mounts.push({ name: VOLUME.reportProcessors, mountPath: layout.reportsDir, readOnly: true });
  return mounts;
}
