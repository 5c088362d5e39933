// The Server defaults of docs/admission.md: only absent fields are filled, mistyped ones are left alone.
import { isPlainObject } from '../admission/review.js';
import { parseQuantity } from './quantity.js';

type Obj = Record<string, unknown>;

export const FALLBACK_JAVA_ARGS = '-Xms512m -Xmx1024m';

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

function fill(target: Obj, key: string, value: unknown): void {
  if (absent(target[key])) target[key] = value;
}

/** `-Xms{N}m -Xmx{N}m` with N = 75% of the memory limit in MiB; undefined when the limit does not parse. */
export function derivedJavaArgs(memoryLimit: unknown): string | undefined {
  if (absent(memoryLimit)) return FALLBACK_JAVA_ARGS;
  const parsed = parseQuantity(memoryLimit);
  if (!parsed.ok || parsed.value <= 0) return undefined;
  const n = Math.floor((0.75 * Math.ceil(parsed.value)) / 1048576);
  return `-Xms${n}m -Xmx${n}m`;
}

function memoryLimit(spec: Obj): unknown {
  const resources = spec.resources;
  if (!isPlainObject(resources) || !isPlainObject(resources.limits)) return undefined;
  return resources.limits.memory;
}

// Copy-on-write: only spec and the spec objects that get defaults are copied (a deep clone of the
// whole object was half the cost of an admission request); everything else is shared with the input.
function copyChild(parent: Obj, key: string): Obj | undefined {
  const value = parent[key];
  if (!isPlainObject(value)) return undefined;
  const copy = { ...value };
  parent[key] = copy;
  return copy;
}

/** Returns a defaulted copy of a Server object; the input is never modified (unchanged parts are shared). */
export function applyServerDefaults<T>(object: T): T {
  if (!isPlainObject(object) || !isPlainObject(object.spec)) return object;
  const copy: Obj = { ...object };
  const spec = copyChild(copy, 'spec') as Obj;

  fill(spec, 'server', true);
  fill(spec, 'ca', false);
  fill(spec, 'replicas', 1);
  fill(spec, 'maxActiveInstances', 1);

  if (absent(spec.javaArgs) || spec.javaArgs === '') {
    const javaArgs = derivedJavaArgs(memoryLimit(spec));
    if (javaArgs !== undefined) spec.javaArgs = javaArgs;
  }

  const autoscaling = copyChild(spec, 'autoscaling');
  if (autoscaling) {
    fill(autoscaling, 'enabled', false);
    fill(autoscaling, 'minReplicas', 1);
    fill(autoscaling, 'maxReplicas', 5);
    fill(autoscaling, 'targetCPU', 75);
  }

  const pdb = copyChild(spec, 'pdb');
  if (pdb) {
    fill(pdb, 'enabled', false);
    if (pdb.enabled === true && absent(pdb.minAvailable) && absent(pdb.maxUnavailable)) pdb.maxUnavailable = 1;
  }

  const image = copyChild(spec, 'image');
  if (image) fill(image, 'pullPolicy', 'IfNotPresent');

  const code = copyChild(spec, 'code');
  if (code && !absent(code.image) && code.image !== '') fill(code, 'imagePullPolicy', 'IfNotPresent');

  return copy as T;
}
