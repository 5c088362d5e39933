// The report processor `openvox_http` of compiling Server pods: puppetserver runs it (inside its
// JRuby) for every report an agent submits, when puppet.conf's `reports` names it. It sends the report
// to each endpoint of the Config's ReportProcessors, listed in `openvox_http.json` beside it (read
// for every report, so an edited ReportProcessor applies once the kubelet refreshes the Secret volume).
//
// Where it lives: Puppet's autoloader finds report processors as `puppet/reports/<name>.rb` below
// libdir (`$vardir/lib`, vardir being puppetserver's server-var-dir), so the Secret is mounted at that
// directory (ServerLayout.reportsDir). The Go operator shelled out to a binary its image ships; the
// stock image has none, and JRuby's net/http needs none.
//
// Behaviour (settings: controller/src/report-processor/settings.ts):
// - generic endpoints get the report as JSON (Puppet's to_data_hash) by POST to the url;
// - puppetdb endpoints get a "store report" command, wire format v8, by POST to url + /pdb/cmd/v1;
// - the headers (auth and extra headers, resolved by the operator) and mTLS with the Server's own
//   Puppet certificate; https verified against the system CAs and the Puppet CA;
// - an endpoint that fails (down, timeout, non-2xx) is logged on puppetserver's log and skipped: it
//   never fails the agent's report submission, nor stops the other endpoints.
// Helper methods carry the prefix openvox_http_: the module extends Puppet's report object.
import { rubyHttpClient } from '../http-service/ruby-http-client.js';
import { REPORT_DEFAULT_TIMEOUT_SECONDS } from './settings.js';

/** The file's text. OPENVOX_HTTP_SETTINGS overrides the settings path (for tests). */
export const REPORT_PROCESSOR_SCRIPT = String.raw`# openvox_http, rendered by openvox-operator from the ReportProcessors of this Config.
require 'puppet'
require 'json'
require 'net/http'
require 'openssl'
require 'time'
require 'uri'

Puppet::Reports.register_report(:openvox_http) do
  desc 'Sends each report to the HTTP endpoints of the ReportProcessors of this Config (openvox-operator).'

  def process
    settings = openvox_http_settings
    return unless settings
    data = to_data_hash
    (settings['endpoints'] || []).each { |endpoint| openvox_http_send(endpoint, data) }
  end

  def openvox_http_settings
    file = ENV['OPENVOX_HTTP_SETTINGS'] || File.join(__dir__, 'openvox_http.json')
    JSON.parse(File.read(file))
  rescue StandardError => e
    Puppet.err("openvox_http: cannot read the settings #{file}: #{e.message}; the report of #{host} is not forwarded")
    nil
  end

  def openvox_http_send(endpoint, data)
    puppetdb = endpoint['processor'] == 'puppetdb'
    uri = URI(puppetdb ? "#{endpoint.fetch('url').chomp('/')}/pdb/cmd/v1" : endpoint.fetch('url'))
    if puppetdb
      query = { 'command' => 'store_report', 'version' => '8', 'certname' => data['host'],
                'producer-timestamp' => Time.now.utc.iso8601(3) }
      uri.query = URI.encode_www_form(query)
    end
    request = Net::HTTP::Post.new(uri)
    request['Content-Type'] = 'application/json'
    request['Accept'] = 'application/json'
    request['User-Agent'] = 'openvox_http'
    (endpoint['headers'] || {}).each { |name, value| request[name] = value }
    request.body = JSON.generate(puppetdb ? openvox_http_wire_report(data) : data)
    response = openvox_http_client(endpoint, uri).start { |http| http.request(request) }
    code = response.code.to_i
    if (200..299).cover?(code)
      Puppet.info("openvox_http: ReportProcessor #{endpoint['name']}: report of #{data['host']} sent to #{uri} (HTTP #{code})")
    else
      Puppet.err("openvox_http: ReportProcessor #{endpoint['name']}: POST #{uri} answered HTTP #{code} #{response.body.to_s[0, 200].strip}; the report of #{data['host']} was not accepted there")
    end
  rescue StandardError => e
    Puppet.err("openvox_http: ReportProcessor #{endpoint['name']}: POST #{uri}: #{e.class}: #{e.message}; the report of #{data['host']} was not sent there")
  end

${rubyHttpClient('openvox_http_client', REPORT_DEFAULT_TIMEOUT_SECONDS)}

  # PuppetDB's "store report" command, wire format v8, from Puppet's report data.
  def openvox_http_wire_report(data)
    start = data['time']
    {
      'certname' => data['host'],
      'environment' => data['environment'],
      'puppet_version' => data['puppet_version'],
      'report_format' => data['report_format'],
      'configuration_version' => data['configuration_version'].to_s,
      'start_time' => start,
      'end_time' => openvox_http_end_time(data, start),
      'producer_timestamp' => Time.now.utc.iso8601(3),
      'producer' => data['server_used'].to_s.split(':').first || data['host'],
      'transaction_uuid' => data['transaction_uuid'],
      'catalog_uuid' => data['catalog_uuid'],
      'code_id' => data['code_id'],
      'job_id' => data['job_id'],
      'cached_catalog_status' => data['cached_catalog_status'],
      'status' => data['status'],
      'noop' => data['noop'],
      'noop_pending' => data['noop_pending'],
      'corrective_change' => data['corrective_change'],
      'logs' => (data['logs'] || []).map do |l|
        l.slice('file', 'line', 'level', 'message', 'source', 'tags', 'time')
      end,
      'metrics' => (data['metrics'] || {}).flat_map do |category, metric|
        (metric['values'] || []).map { |name, _label, value| { 'category' => category, 'name' => name, 'value' => value } }
      end,
      'resources' => (data['resource_statuses'] || {}).values.map do |r|
        {
          'timestamp' => r['time'], 'resource_type' => r['resource_type'], 'resource_title' => r['title'].to_s,
          'skipped' => r['skipped'] ? true : false, 'file' => r['file'], 'line' => r['line'],
          'containment_path' => r['containment_path'], 'corrective_change' => r['corrective_change'] ? true : false,
          'events' => (r['events'] || []).map do |e|
            {
              'status' => e['status'], 'timestamp' => e['time'], 'name' => e['name'], 'property' => e['property'],
              'new_value' => e['desired_value'], 'old_value' => e['previous_value'], 'message' => e['message'],
              'corrective_change' => e['corrective_change'] ? true : false
            }
          end
        }
      end
    }
  end

  def openvox_http_end_time(data, start)
    total = ((data.dig('metrics', 'time', 'values') || []).find { |name, _, _| name == 'total' } || [])[2]
    return start unless start && total
    (Time.iso8601(start) + total.to_f).utc.iso8601(3)
  rescue ArgumentError
    start
  end
end
`;
