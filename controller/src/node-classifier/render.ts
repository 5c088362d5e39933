// `{config}-enc`, which compiling Server pods of the Config mount as their ENC directory: the script
// puppetserver runs for each node and its settings. Owned by the Config (the name is the Config's; one
// NodeClassifier may serve several Configs), labelled so the operator's Secret cache sees it. The
// classifier's cache directory rides along as an annotation: the Server renderer mounts an emptyDir
// there without reading NodeClassifiers.
import type { V1Secret } from '@kubernetes/client-node';
import { LABEL_CONFIG, LABEL_MANAGED_BY, LABEL_NAME, MANAGER, type Config } from '@openvox/shared/runtime';
import { ENC_CACHE_DIR_ANNOTATION, ENC_EXECUTABLE_KEY, ENC_SETTINGS_KEY, encSecretName } from '../contracts/names.js';
import { controllerReference } from '../kube/owner-reference.js';
import { ENC_SCRIPT } from './enc-script.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function encSecret(config: Config, settings: string, cacheDirectory: string | undefined): V1Secret {
  const name = config.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: encSecretName(name),
      namespace: config.metadata.namespace,
      labels: { [LABEL_NAME]: 'openvox-server', [LABEL_MANAGED_BY]: MANAGER, [LABEL_CONFIG]: name },
      ...(cacheDirectory ? { annotations: { [ENC_CACHE_DIR_ANNOTATION]: cacheDirectory } } : {}),
      ownerReferences: [controllerReference('Config', config.metadata)],
    },
    type: 'Opaque',
    // `data`, not `stringData`: stringData is write-only and would never compare equal on re-apply.
    data: { [ENC_EXECUTABLE_KEY]: base64(ENC_SCRIPT), [ENC_SETTINGS_KEY]: base64(settings) },
  };
}
