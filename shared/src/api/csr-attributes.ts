// The names a SigningPolicy's csrAttributes may use, shared by the webhook (validation) and the
// controller (the policy file carries OIDs). No schema code: the controller imports it at run time.

/** Puppet's short names of CSR attributes and extension requests (Puppet::SSL::Oids), with their OIDs. */
export const CSR_ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'pp_uuid',
      'pp_instance_id',
      'pp_image_name',
      'pp_preshared_key',
      'pp_cost_center',
      'pp_product',
      'pp_project',
      'pp_application',
      'pp_service',
      'pp_employee',
      'pp_created_by',
      'pp_environment',
      'pp_role',
      'pp_software_version',
      'pp_department',
      'pp_cluster',
      'pp_provisioner',
      'pp_region',
      'pp_datacenter',
      'pp_zone',
      'pp_network',
      'pp_securitypolicy',
      'pp_cloudplatform',
      'pp_apptier',
      'pp_hostname',
      'pp_owner',
    ].map((name, i) => [name, `1.3.6.1.4.1.34380.1.1.${i + 1}`]),
  ),
  pp_authorization: '1.3.6.1.4.1.34380.1.3.1',
  // The Go operator's name for .3.2; Puppet itself names only .3.1, .3.13 and .3.39 of this arc.
  pp_auth_token: '1.3.6.1.4.1.34380.1.3.2',
  pp_auth_role: '1.3.6.1.4.1.34380.1.3.13',
  pp_cli_auth: '1.3.6.1.4.1.34380.1.3.39',
  challengePassword: '1.2.840.113549.1.9.7',
};

const DOTTED_OID = /^[0-2](\.(0|[1-9][0-9]*))+$/;

/** The OID a csrAttributes name stands for: a Puppet short name or a dotted OID; undefined otherwise. */
export function csrAttributeOid(name: string): string | undefined {
  if (Object.hasOwn(CSR_ATTRIBUTE_OIDS, name)) return CSR_ATTRIBUTE_OIDS[name];
  return DOTTED_OID.test(name) ? name : undefined;
}
