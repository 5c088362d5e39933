// The format of `autosign-policy.json` in `{ca}-autosign-policy`: the SigningPolicy kind writes it for the
// CA pod's autosign script, and the AgentCertificate kind reads it to tell which policy signed a
// certificate. `{ "policies": PolicyFileEntry[] }`, sorted by name.

export interface PolicyFileAttribute {
  name: string;
  oid: string;
  value: string;
}

export interface PolicyFileEntry {
  name: string;
  any: boolean;
  pattern?: string[];
  dnsAltNames?: string[];
  csrAttributes: PolicyFileAttribute[];
}

export interface PolicyFile {
  policies: PolicyFileEntry[];
}
