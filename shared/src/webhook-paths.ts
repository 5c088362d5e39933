// The URL paths the webhook serves and every registration names (the chart's webhook configurations,
// the local runner's), in kubebuilder's scheme: /{mutate|validate}-{group with dashes}-{version}-{kind}.
import { GROUP, VERSION } from './api/meta.js';

const GROUP_VERSION = `${GROUP.replaceAll('.', '-')}-${VERSION}`;

/** `singular` is the kind's lowercase singular name, e.g. certificateauthority. */
export const mutatePath = (singular: string): string => `/mutate-${GROUP_VERSION}-${singular}`;
export const validatePath = (singular: string): string => `/validate-${GROUP_VERSION}-${singular}`;

export const MUTATE_PATH = mutatePath('server');
export const VALIDATE_PATH = validatePath('server');

/** Kinds (singular) besides Server whose mutating endpoint patches defaults in (Certificate: its certname). */
export const DEFAULTED_KINDS: readonly string[] = ['certificate'];
