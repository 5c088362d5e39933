// `{config}-report-processors`, which compiling Server pods of the Config mount where puppetserver
// loads report processors: the Ruby report processor `openvox_http` and its endpoints. Owned by the
// Config, labelled so the operator's Secret cache sees it; it exists while a ReportProcessor names the
// Config, and the Server renderer mounts it when it exists.
import type { V1Secret } from '@kubernetes/client-node';
import { LABEL_CONFIG, LABEL_MANAGED_BY, LABEL_NAME, MANAGER, type Config } from '@openvox/shared/runtime';
import { REPORT_PROCESSOR_KEY, REPORT_SETTINGS_KEY, reportProcessorsSecretName } from '../contracts/names.js';
import { controllerReference } from '../kube/owner-reference.js';
import { REPORT_PROCESSOR_SCRIPT } from './report-processor-script.js';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function reportProcessorsSecret(config: Config, settings: string): V1Secret {
  const name = config.metadata.name!;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: reportProcessorsSecretName(name),
      namespace: config.metadata.namespace,
      labels: { [LABEL_NAME]: 'openvox-server', [LABEL_MANAGED_BY]: MANAGER, [LABEL_CONFIG]: name },
      ownerReferences: [controllerReference('Config', config.metadata)],
    },
    type: 'Opaque',
    data: { [REPORT_PROCESSOR_KEY]: base64(REPORT_PROCESSOR_SCRIPT), [REPORT_SETTINGS_KEY]: base64(settings) },
  };
}
