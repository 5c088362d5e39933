// The namespaces a namespace-scoped operator watches, as both processes take them: a comma-separated
// list (`--watch-namespaces a,b`); empty means every namespace (cluster mode).
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The distinct names of `raw`, in order; throws naming `source` (the flag) and the bad entry. */
export function parseWatchNamespaces(raw: string, source = '--watch-namespaces'): string[] {
  const names = raw
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    if (name.length > 63 || !NAMESPACE_NAME.test(name)) {
      throw new Error(
        `${source}: ${JSON.stringify(name)} is not a namespace name (a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit)`,
      );
    }
  }
  return [...new Set(names)];
}
