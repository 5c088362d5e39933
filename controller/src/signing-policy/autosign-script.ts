// The autosign executable of CA pods: puppetserver runs it for every CSR (puppet.conf `autosign`),
// with the certname as its argument and the CSR's PEM on stdin, and signs when it exits 0. It reads
// the policy file beside it on every call, so an edited SigningPolicy applies as soon as the kubelet
// refreshes the Secret volume, without a restart.
//
// Why a script in the Secret and not a binary in the image (the Go operator's openvox-autosign): the
// stock OpenVox Server image has no such binary, but every Puppet server image has a Ruby with
// OpenSSL (the agent's). A POSIX sh prologue picks that Ruby (AIO path first, then a distribution's)
// and `ruby -x` runs the Ruby part below the `#!ruby` line. puppetserver hands the script its JRuby
// RUBYLIB/GEM_HOME; they are dropped, and gems disabled, so only Ruby's own json/openssl/ipaddr load.
//
// The decision (policies ORed, fields ANDed; see shared/src/api/signing-policy.ts):
// - a policy with `any` needs no certname or DNS alt name match; otherwise `pattern` (certname globs)
//   and every `csrAttributes` entry (OID present with exactly that value) must match, and a policy
//   that sets neither matches nothing;
// - every DNS alt name but the certname itself (Puppet adds it) must match a `dnsAltNames` glob, an IP
//   alt name an `IP:` glob; alt names of other types never pass;
// - escalation (the Go operator's advisory #506): an extension request outside the two Puppet data
//   arcs (ppRegCertExt .1.1, ppPrivCertExt .1.2) and subjectAltName, e.g. pp_cli_auth, passes only a
//   policy that names its OID in csrAttributes (and so also fixes its value); `any` never allows one.
// - anything unreadable (policy file, CSR, a bad signature, a CN that is not the certname, a
//   repeated extension) is a refusal, with the reason on stderr (puppetserver logs it).

/** The file's text; its policy file is `autosign-policy.json` beside it (OPENVOX_AUTOSIGN_POLICY overrides, for tests). */
export const AUTOSIGN_SCRIPT = String.raw`#!/bin/sh
# openvox-autosign, rendered by openvox-operator from the SigningPolicies of this CA.
unset RUBYLIB RUBYOPT GEM_HOME GEM_PATH
for ruby in /opt/puppetlabs/puppet/bin/ruby /usr/bin/ruby; do
  if [ -x "$ruby" ]; then exec "$ruby" --disable-gems -x "$0" "$@"; fi
done
echo "openvox-autosign: no Ruby found (/opt/puppetlabs/puppet/bin/ruby, /usr/bin/ruby): not signing" >&2
exit 1
#!ruby
require 'json'
require 'openssl'
require 'ipaddr'

SAN = '2.5.29.17'
EXTENSION_REQUEST_ATTRIBUTES = ['1.2.840.113549.1.9.14', '1.3.6.1.4.1.311.2.1.14'].freeze
DATA_ARCS = ['1.3.6.1.4.1.34380.1.1.', '1.3.6.1.4.1.34380.1.2.'].freeze

class Refused < StandardError; end

def dotted(name)
  OpenSSL::ASN1::ObjectId.new(name).oid
end

# A string-typed value as text; anything else compares by its DER bytes.
def text_of(der)
  v = OpenSSL::ASN1.decode(der)
  v.is_a?(OpenSSL::ASN1::Primitive) && v.value.is_a?(String) ? v.value : der
rescue OpenSSL::ASN1::ASN1Error
  der
end

def alt_names(der)
  OpenSSL::ASN1.decode(der).value.map do |name|
    case name.tag
    when 2 then ['DNS', name.value]
    when 7 then ['IP', IPAddr.new_ntoh(name.value).to_s]
    else ['other', name.tag.to_s]
    end
  end
end

# What a policy can look at: the CSR's attribute and extension values by OID, its alt names, and
# the OIDs of its extension requests.
def read_csr(pem, certname)
  csr = OpenSSL::X509::Request.new(pem)
  raise Refused, 'the CSR signature does not verify' unless csr.verify(csr.public_key)
  cn = csr.subject.to_a.select { |entry| entry[0] == 'CN' }.map { |entry| entry[1] }
  raise Refused, "the CSR subject CN #{cn.inspect} is not the certname" unless cn == [certname]
  values = {}
  sans = []
  extensions = []
  csr.attributes.each do |attribute|
    oid = dotted(attribute.oid)
    unless EXTENSION_REQUEST_ATTRIBUTES.include?(oid)
      raise Refused, "attribute #{oid} appears twice" if values.key?(oid)
      values[oid] = text_of(attribute.value.value.first.to_der)
      next
    end
    attribute.value.value.each do |list|
      list.value.each do |entry|
        parts = entry.value
        ext_oid = parts.first.oid
        inner = parts.last.value
        raise Refused, "extension #{ext_oid} appears twice" if extensions.include?(ext_oid)
        extensions << ext_oid
        if ext_oid == SAN
          sans.concat(alt_names(inner))
        else
          values[ext_oid] = text_of(inner)
        end
      end
    end
  end
  { values: values, sans: sans, extensions: extensions }
rescue OpenSSL::X509::RequestError, OpenSSL::ASN1::ASN1Error, IPAddr::Error, NoMethodError, TypeError => e
  raise Refused, "unreadable CSR (#{e.class})"
end

def glob?(patterns, name)
  patterns.any? { |p| File.fnmatch?(p, name, File::FNM_PATHNAME) }
end

def alt_name_allowed?(policy, kind, value)
  allow = policy['dnsAltNames']
  case kind
  when 'DNS' then policy['any'] || (allow && glob?(allow.reject { |p| p.start_with?('IP:') }, value))
  when 'IP' then !policy['any'] && allow && glob?(allow.select { |p| p.start_with?('IP:') }, "IP:#{value}")
  else false
  end
end

# nil when the policy signs the CSR, else why not.
def mismatch(policy, certname, csr)
  attributes = policy['csrAttributes'] || []
  pattern = policy['pattern']
  unless policy['any']
    return 'sets no condition' if pattern.nil? && attributes.empty?
    return 'certname matches no pattern' if pattern && !glob?(pattern, certname)
    attributes.each do |a|
      return "#{a['name']} missing or different" unless csr[:values][a['oid']] == a['value']
    end
  end
  csr[:sans].each do |kind, value|
    # Puppet adds the certname itself to the alt names it asks for; that adds no name.
    next if kind == 'DNS' && value == certname
    return "alt name #{kind}:#{value} not allowed" unless alt_name_allowed?(policy, kind, value)
  end
  named = policy['any'] ? [] : attributes.map { |a| a['oid'] }
  csr[:extensions].each do |oid|
    next if oid == SAN || DATA_ARCS.any? { |arc| oid.start_with?(arc) } || named.include?(oid)
    return "extension #{oid} is not allowed by this policy"
  end
  nil
end

certname = ARGV[0].to_s
begin
  raise Refused, 'no certname argument' if certname.empty?
  path = ENV['OPENVOX_AUTOSIGN_POLICY'] || File.join(__dir__, 'autosign-policy.json')
  policies = JSON.parse(File.read(path)).fetch('policies')
  csr = read_csr($stdin.read, certname)
  reasons = policies.map do |policy|
    why = mismatch(policy, certname, csr)
    if why.nil?
      warn "openvox-autosign: #{certname}: signed by SigningPolicy #{policy['name']}"
      exit 0
    end
    "#{policy['name']}: #{why}"
  end
  raise Refused, reasons.empty? ? 'no SigningPolicy for this CA' : reasons.join('; ')
rescue Refused, SystemCallError, JSON::ParserError, KeyError => e
  warn "openvox-autosign: #{certname}: not signed: #{e.message}"
  exit 1
end
`;
