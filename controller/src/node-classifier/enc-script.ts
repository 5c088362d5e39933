// The external node classifier of compiling Server pods: puppetserver runs it for each node it looks
// up (puppet.conf `node_terminus = exec`, `external_nodes`), with the certname as its argument, and
// reads the node's classes, parameters and environment as YAML from its stdout. It asks the
// NodeClassifier's HTTP service, with the settings the operator renders beside it (`enc.json`, read
// on every call, so an edited NodeClassifier applies once the kubelet refreshes the Secret volume).
//
// Why a Ruby script and not the Go operator's openvox-enc binary: the stock OpenVox Server image has no
// such binary, but every Puppet server image has the agent's Ruby (net/http, openssl, psych). The sh
// prologue picks that Ruby and `ruby -x` runs the part below `#!ruby`; puppetserver's JRuby
// RUBYLIB/GEM_HOME are dropped and gems disabled, so only Ruby's own libraries load.
//
// Behaviour (settings: controller/src/node-classifier/settings.ts):
// - request: GET or POST to url + path, `{certname}` replaced; a POST body `certname` sends
//   {"certname"}, `facts` sends {"certname", "facts"} with the facts puppetserver stored for the node
//   (its json facts terminus; {} before its first catalog; the Go operator read a yaml path
//   puppetserver does not write, so it always sent {}); headers (auth, from the operator's resolved Secrets) as given; mTLS
//   with the Server's own Puppet certificate; https verified against the system CAs and the Puppet CA;
// - answer: 2xx with a YAML or JSON mapping (`classes` as a list or a map, optional `parameters` and
//   `environment`) is printed as YAML; 404 means "no such node" (exit 1); anything else exits 2;
// - cache (when enabled): each answer is kept as `<dir>/<certname>.yaml`; when the service cannot be
//   asked (down, timeout, 5xx), the kept answer is used and a warning goes to stderr;
// - errors go to stderr (puppetserver's log) and stdout: puppetserver puts a failed command's stdout
//   into the error the agent sees, so the agent learns which classifier failed and why.
import { rubyHttpClient } from '../http-service/ruby-http-client.js';
import { ENC_DEFAULT_TIMEOUT_SECONDS } from './settings.js';

/** The file's text; its settings are `enc.json` beside it (OPENVOX_ENC_SETTINGS overrides, for tests). */
export const ENC_SCRIPT = String.raw`#!/bin/sh
# openvox-enc, rendered by openvox-operator from the NodeClassifier of this Config.
unset RUBYLIB RUBYOPT GEM_HOME GEM_PATH
for ruby in /opt/puppetlabs/puppet/bin/ruby /usr/bin/ruby; do
  if [ -x "$ruby" ]; then exec "$ruby" --disable-gems -x "$0" "$@"; fi
done
msg="openvox-enc: no Ruby found (/opt/puppetlabs/puppet/bin/ruby, /usr/bin/ruby): cannot classify $1"
echo "$msg"; echo "$msg" >&2
exit 2
#!ruby
require 'date'
require 'json'
require 'yaml'
require 'net/http'
require 'openssl'
require 'uri'
require 'fileutils'

CERTNAME = /\A[A-Za-z0-9._-]+\z/
MAX_ANSWER = 10 * 1024 * 1024

# exit 1: the service does not know the node (HTTP 404); exit 2: anything else.
class Failure < StandardError
  attr_reader :code

  def initialize(message, code = 2)
    super(message)
    @code = code
  end
end

# The service could not be asked or did not answer usefully: a cached answer may stand in.
class Unavailable < Failure; end

def settings_path
  ENV['OPENVOX_ENC_SETTINGS'] || File.join(File.dirname(File.expand_path($0)), 'enc.json')
end

def load_settings
  JSON.parse(File.read(settings_path))
rescue SystemCallError, JSON::ParserError => e
  raise Failure, "cannot read the settings #{settings_path}: #{e.message}"
end

# The facts puppetserver stored for the node, as plain data; {} when it has none. puppetserver's facts
# terminus is json (<certname>.json); a yaml one (<certname>.yaml, Puppet's object tag) is read too.
def facts_of(settings, certname)
  base = File.join(settings.fetch('factsDir'), certname)
  if File.file?("#{base}.json")
    doc = JSON.parse(File.read("#{base}.json"))
  elsif File.file?("#{base}.yaml")
    text = File.read("#{base}.yaml").sub(/\A---\s*!ruby\/object:Puppet::Node::Facts\s*\n/, "---\n")
    doc = JSON.parse(JSON.generate(YAML.safe_load(text, permitted_classes: [Symbol, Time, Date], aliases: true)))
  else
    return {}
  end
  values = doc.is_a?(Hash) ? doc['values'] : nil
  values.is_a?(Hash) ? values : {}
rescue StandardError => e
  warn "openvox-enc: cannot read the stored facts of #{certname} (#{base}.json): #{e.message}; sending none"
  {}
end

def request_body(settings, certname)
  return nil unless settings['method'] == 'POST'
  case settings['body']
  when 'certname' then { 'certname' => certname }
  when 'facts' then { 'certname' => certname, 'facts' => facts_of(settings, certname) }
  end
end

def build_request(settings, certname)
  path = settings.fetch('path').gsub('{certname}', certname)
  path = "/#{path}" unless path.start_with?('/')
  uri = URI(settings.fetch('url').chomp('/') + path)
  request = settings['method'] == 'POST' ? Net::HTTP::Post.new(uri) : Net::HTTP::Get.new(uri)
  request['Accept'] = settings['responseFormat'] == 'json' ? 'application/json' : 'application/yaml, text/yaml'
  request['User-Agent'] = 'openvox-enc'
  (settings['headers'] || {}).each { |name, value| request[name] = value }
  body = request_body(settings, certname)
  if body
    request['Content-Type'] = 'application/json'
    request.body = JSON.generate(body)
  end
  [uri, request]
end

${rubyHttpClient('http_for', ENC_DEFAULT_TIMEOUT_SECONDS)}

def ask(settings, certname)
  uri, request = build_request(settings, certname)
  where = "#{request.method} #{uri}"
  begin
    response = http_for(settings, uri).start { |h| h.request(request) }
  rescue Net::OpenTimeout, Net::ReadTimeout, Net::WriteTimeout
    raise Unavailable, "#{where}: no answer within #{settings['timeoutSeconds'] || ${ENC_DEFAULT_TIMEOUT_SECONDS}} s"
  rescue SystemCallError, SocketError, IOError, OpenSSL::SSL::SSLError, OpenSSL::PKey::PKeyError => e
    raise Unavailable, "#{where}: #{e.message}"
  end
  code = response.code.to_i
  raise Failure.new("#{where}: HTTP 404, the classifier does not know #{certname}", 1) if code == 404
  unless (200..299).cover?(code)
    raise Unavailable, "#{where}: HTTP #{code} #{response.body.to_s[0, 200].strip}".strip
  end
  body = response.body.to_s
  raise Failure, "#{where}: the answer is larger than #{MAX_ANSWER} bytes" if body.bytesize > MAX_ANSWER
  [where, body]
end

# The answer as the YAML puppetserver's exec terminus reads: classes, parameters, environment.
def classification(settings, where, body)
  format = settings['responseFormat'] == 'json' ? 'json' : 'yaml'
  begin
    data = format == 'json' ? JSON.parse(body) : YAML.safe_load(body, permitted_classes: [], aliases: false)
  rescue JSON::ParserError, Psych::Exception => e
    raise Failure, "#{where}: the answer is not #{format}: #{e.message.lines.first.to_s.strip}"
  end
  raise Failure, "#{where}: the answer is not a #{format} mapping with classes" unless data.is_a?(Hash)
  classes = data['classes'] || {}
  unless classes.is_a?(Hash) || classes.is_a?(Array)
    raise Failure, "#{where}: classes must be a list or a mapping, got #{classes.class.name.downcase}"
  end
  out = { 'classes' => classes }
  out['parameters'] = data['parameters'] if data['parameters'].is_a?(Hash)
  env = data['environment']
  out['environment'] = env if env.is_a?(String) && !env.empty?
  out.to_yaml
end

def cache_file(settings, certname)
  cache = settings['cache'] || {}
  cache['enabled'] ? File.join(cache.fetch('directory'), "#{certname}.yaml") : nil
end

def save_cache(settings, certname, yaml)
  file = cache_file(settings, certname) or return
  FileUtils.mkdir_p(File.dirname(file))
  File.write("#{file}.tmp", yaml)
  File.rename("#{file}.tmp", file)
rescue SystemCallError => e
  warn "openvox-enc: cannot cache the classification of #{certname} in #{file}: #{e.message}"
end

def classify(certname)
  raise Failure, 'usage: openvox-enc CERTNAME' if certname.nil? || certname.empty?
  raise Failure, "certname #{certname.inspect} is not a valid name ([A-Za-z0-9._-]+)" unless CERTNAME.match?(certname)
  settings = load_settings
  raise Failure, settings['error'] if settings['error']
  begin
    where, body = ask(settings, certname)
    yaml = classification(settings, where, body)
    save_cache(settings, certname, yaml)
    yaml
  rescue Unavailable => e
    file = cache_file(settings, certname)
    raise unless file && File.file?(file)
    warn "openvox-enc: #{e.message}; using the cached classification of #{certname} from #{File.mtime(file).utc}"
    File.read(file)
  end
end

def classifier_name
  JSON.parse(File.read(settings_path))['name']
rescue StandardError
  nil
end

begin
  $stdout.write(classify(ARGV[0]))
  exit 0
rescue Failure => e
  name = classifier_name
  message = "openvox-enc: #{name ? "NodeClassifier #{name}: " : ''}#{e.message}"
  warn message
  $stdout.puts message
  exit e.code
end
`;
