// `helm template` of the chart, parsed into objects the tests can query.
import { parseAllDocuments } from 'yaml';
import { CHART_DIR, helm, kubeVersion, withValuesFile, type HelmResult } from './helm.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
  };
  // The tests read deep into specs; their shape is checked by the assertions.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  values?: unknown;
}

export function template(options: RenderOptions = {}): HelmResult {
  return withValuesFile(options.values, (file) =>
    helm([
      'template',
      options.release ?? 'openvox-operator',
      CHART_DIR,
      '--namespace',
      options.namespace ?? 'openvox-system',
      '--kube-version',
      kubeVersion(),
      '--values',
      file,
    ]),
  );
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`helm produced invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null);
}

/** Renders the chart and returns its objects; throws with helm's message when it fails. */
export function render(options: RenderOptions = {}): Manifest {
  const result = template(options);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return new Manifest(parseObjects(result.stdout));
}

export class Manifest {
  constructor(readonly objects: K8sObject[]) {}

  ofKind(kind: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  /** The one object of that kind (and name, when given); throws when there is not exactly one. */
  one(kind: string, name?: string): K8sObject {
    const found = this.ofKind(kind).filter((o) => name === undefined || o.metadata.name === name);
    if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
    return found[0]!;
  }

  kinds(): string[] {
    return [...new Set(this.objects.map((o) => o.kind))].sort();
  }
}
