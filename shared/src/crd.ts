// Builds CustomResourceDefinition objects from the kind definitions (the one source of truth).
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { GROUP, VERSION } from './api/meta.js';
import type { KindDefinition } from './api/kinds.js';

/** Plain JSON: drops TypeBox's non-enumerable markers and shares no references with the source. */
function plain<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema)) as T;
}

function hasRequired(schema: { required?: unknown }): boolean {
  return Array.isArray(schema.required) && schema.required.length > 0;
}

export function crdName(def: KindDefinition): string {
  return `${def.plural}.${GROUP}`;
}

export function buildCrd(def: KindDefinition): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(def),
      labels: { 'app.kubernetes.io/name': 'openvox-operator', 'app.kubernetes.io/part-of': 'openvox-operator' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames.length > 0 ? { shortNames: def.shortNames } : {}),
        categories: ['openvox'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.printerColumns.map((c) => ({ ...c })),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: def.description,
              // A kind whose spec has no required field may omit spec entirely (a Pool with defaults).
              ...(hasRequired(def.spec) ? { required: ['spec'] } : {}),
              properties: {
                apiVersion: {
                  type: 'string',
                  description: 'APIVersion defines the versioned schema of this representation of an object.',
                },
                kind: {
                  type: 'string',
                  description: 'Kind is a string value representing the REST resource this object represents.',
                },
                // The API server forbids anything but `type` on metadata; kubectl explain documents it itself.
                metadata: { type: 'object' },
                // Without required fields, an absent spec defaults to {} (and its fields' defaults apply), so
                // every reader may rely on spec being there.
                spec: hasRequired(def.spec) ? plain(def.spec) : { ...plain(def.spec), default: {} },
                status: plain(def.status),
              },
            },
          },
        },
      ],
    },
  } as V1CustomResourceDefinition;
}
