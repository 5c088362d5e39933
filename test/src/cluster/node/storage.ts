// A default StorageClass whose claims bind: a pool of static hostPath PVs made at cluster:up. Not the
// in-tree host-path provisioner: it creates root-owned 0750 directories that a pod running as uid 1001,
// gid 0 (the OpenVox Server pods) cannot write. These directories are group-0 writable, as a fresh
// filesystem with fsGroup 0 would be. reclaimPolicy Delete: kube-controller-manager's hostPath deleter
// removes a released volume's directory (it only deletes below /tmp) and the PV.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE } from './host.js';

export const HOSTPATH_PV_DIR = '/tmp/openvox-node-volumes';
export const STORAGE_CLASS = 'local-hostpath';
const VOLUMES = 60;

export function storageClassObject() {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'kubernetes.io/no-provisioner',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

export function volumeObject(index: number) {
  const name = `local-${String(index).padStart(2, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels: { 'openvox.voxpupuli.org/local-volume': 'true' } },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: STORAGE_CLASS,
      hostPath: { path: join(HOSTPATH_PV_DIR, name), type: 'Directory' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [NODE.name] }] },
          ],
        },
      },
    },
  };
}

export function defaultStorage(kubectl: string, kubeconfig: string): void {
  const volumes = Array.from({ length: VOLUMES }, (_, i) => volumeObject(i + 1));
  for (const v of volumes) {
    const dir = v.spec.hostPath.path;
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o775);
  }
  const list = { apiVersion: 'v1', kind: 'List', items: [storageClassObject(), ...volumes] };
  const r = spawnSync(kubectl, ['--kubeconfig', kubeconfig, 'apply', '-f', '-'], {
    input: JSON.stringify(list),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`creating the default StorageClass and volumes failed: ${r.stderr}`);
}
