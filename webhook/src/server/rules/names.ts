// DNS-1123 names as Kubernetes checks them (k8s.io/apimachinery/pkg/util/validation).
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const LABEL_MAX = 63;
export const SUBDOMAIN_MAX = 253;

export const LABEL_RULE = `must be a DNS-1123 label: at most ${LABEL_MAX} lower case letters, digits or '-', starting and ending with a letter or digit`;
export const SUBDOMAIN_RULE = `must be a DNS-1123 subdomain: at most ${SUBDOMAIN_MAX} lower case letters, digits, '-' or '.', starting and ending with a letter or digit`;

export function isDnsLabel(value: string): boolean {
  return value.length <= LABEL_MAX && LABEL.test(value);
}

export function isDnsSubdomain(value: string): boolean {
  return value.length <= SUBDOMAIN_MAX && SUBDOMAIN.test(value);
}
