// The report processor `openvox_http` run by real Ruby against real HTTP receivers on 127.0.0.1. In the
// pods puppetserver's JRuby loads it into Puppet; here a stand-in for the two Puppet calls it makes
// (register_report, the log functions) loads it into Debian's Ruby and hands it a report's data as
// Puppet's to_data_hash gives it. Checked: what each endpoint receives (generic JSON, PuppetDB wire
// format v8, headers), and that failing, slow or unreachable endpoints never raise.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
// puppetserver's own interpreter; Debian's puppetserver package brings it. Without it that test is skipped.
const JRUBY = '/usr/bin/jruby';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPENVOX_IMAGE_LAYOUT } from '../contracts/pod-layout.js';
import { RUBY, runScript, startService, type TestService } from '../http-service/run-script.test-helpers.js';
import { REPORT_PROCESSOR_SCRIPT } from './report-processor-script.js';
import { renderReportSettings, type ReportEndpoint } from './settings.js';

// Puppet as far as the processor uses it; log lines go to stderr with their level.
const PUPPET_STUB = String.raw`
module Puppet
  %w[err warning info debug].each { |level| define_singleton_method(level) { |m| $stderr.puts("#{level}: #{m}") } }
  module Reports
    def self.register_report(name, &block)
      mod = Module.new
      def mod.desc(_text); end
      mod.module_eval(&block)
      (@reports ||= {})[name] = mod
    end

    def self.report(name)
      @reports[name]
    end
  end
end
`;
// Loads the processor like Puppet's autoloader, then processes the report data read from stdin.
const DRIVER = String.raw`
$LOAD_PATH.unshift(File.dirname(__FILE__))
require 'json'
load ARGV[0]
Report = Struct.new(:data) do
  def to_data_hash; data; end
  def host; data['host']; end
end
report = Report.new(JSON.parse($stdin.read))
report.extend(Puppet::Reports.report(:openvox_http))
report.process
puts 'processed'
`;

// The shape of Puppet 7's to_data_hash (trimmed to what the wire format reads).
const REPORT = {
  host: 'agent1',
  time: '2026-12-02T13:00:00.000+00:00',
  configuration_version: 1733144400,
  transaction_uuid: 'tx-1',
  catalog_uuid: 'cat-1',
  code_id: null,
  job_id: null,
  cached_catalog_status: 'not_used',
  report_format: 12,
  puppet_version: '7.23.0',
  status: 'changed',
  noop: false,
  noop_pending: false,
  corrective_change: false,
  environment: 'production',
  server_used: 'puppet.prod.svc:8140',
  logs: [
    {
      level: 'notice',
      message: 'hello',
      source: 'Notify[x]',
      tags: ['notice'],
      time: '2026-12-02T13:00:01.000+00:00',
      file: '/site.pp',
      line: 3,
    },
  ],
  metrics: {
    time: {
      name: 'time',
      label: 'Time',
      values: [
        ['total', 'Total', 2.5],
        ['catalog_application', 'Catalog application', 0.1],
      ],
    },
    resources: { name: 'resources', label: 'Resources', values: [['changed', 'Changed', 1]] },
  },
  resource_statuses: {
    'Notify[x]': {
      title: 'x',
      file: '/site.pp',
      line: 3,
      resource: 'Notify[x]',
      resource_type: 'Notify',
      containment_path: ['Stage[main]', 'Main', 'Notify[x]'],
      time: '2026-12-02T13:00:01.000+00:00',
      skipped: false,
      corrective_change: false,
      events: [
        {
          property: 'message',
          previous_value: 'absent',
          desired_value: 'hello',
          message: 'defined',
          name: 'message_changed',
          status: 'success',
          time: '2026-12-02T13:00:01.000+00:00',
          corrective_change: false,
        },
      ],
    },
  },
};

let dir: string;
let receiver: TestService;
let runs = 0;

beforeAll(async () => {
  if (!existsSync(RUBY))
    throw new Error(`${RUBY} missing: run test/puppet/install.sh (Debian's puppet-agent brings it)`);
  dir = mkdtempSync(join(tmpdir(), 'openvox-http-'));
  writeFileSync(join(dir, 'openvox_http.rb'), REPORT_PROCESSOR_SCRIPT);
  writeFileSync(join(dir, 'puppet.rb'), PUPPET_STUB);
  writeFileSync(join(dir, 'driver.rb'), DRIVER);
  receiver = await startService(() => ({ status: 200, body: '{}' }));
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200, body: '{}' });
});

const endpoint = (name: string, fields: Partial<ReportEndpoint> = {}): ReportEndpoint => ({
  name,
  processor: '',
  url: `${receiver.url}/reports`,
  timeoutSeconds: 5,
  headers: {},
  tls: {
    clientCertificate: false,
    certFile: OPENVOX_IMAGE_LAYOUT.hostcert,
    keyFile: OPENVOX_IMAGE_LAYOUT.hostprivkey,
    caFile: OPENVOX_IMAGE_LAYOUT.localcacert,
  },
  ...fields,
});

async function processReport(settings: string, ruby = RUBY) {
  const file = join(dir, `settings-${runs++}.json`);
  writeFileSync(file, settings);
  return runScript(
    ruby,
    ['--disable-gems', join(dir, 'driver.rb'), join(dir, 'openvox_http.rb')],
    { OPENVOX_HTTP_SETTINGS: file },
    JSON.stringify(REPORT),
  );
}

describe('the report processor openvox_http (real Ruby, real HTTP)', () => {
  it('POSTs the report as JSON to each endpoint with its headers', async () => {
    const r = await processReport(
      renderReportSettings([
        endpoint('b-second', { url: `${receiver.url}/two` }),
        endpoint('a-first', { headers: { Authorization: 'Bearer abc', 'X-Environment': 'production' } }),
      ]),
    );
    expect(r).toMatchObject({ code: 0, stdout: 'processed\n' });
    // Sorted by name when rendered: a-first, then b-second.
    expect(receiver.received.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /reports', 'POST /two']);
    const [first] = receiver.received;
    expect(first!.headers).toMatchObject({
      authorization: 'Bearer abc',
      'x-environment': 'production',
      'content-type': 'application/json',
    });
    expect(JSON.parse(first!.body)).toEqual(REPORT);
    expect(r.stderr).toMatch(
      /info: openvox_http: ReportProcessor a-first: report of agent1 sent to .*\/reports \(HTTP 200\)/,
    );
  });

  it('sends a puppetdb endpoint the store report command, wire format v8', async () => {
    await processReport(renderReportSettings([endpoint('pdb', { processor: 'puppetdb', url: `${receiver.url}/` })]));
    const [req] = receiver.received;
    const url = new URL(req!.url, receiver.url);
    expect(url.pathname).toBe('/pdb/cmd/v1');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      command: 'store_report',
      version: '8',
      certname: 'agent1',
    });
    const wire = JSON.parse(req!.body);
    expect(wire).toMatchObject({
      certname: 'agent1',
      environment: 'production',
      status: 'changed',
      producer: 'puppet.prod.svc',
      start_time: '2026-12-02T13:00:00.000+00:00',
      end_time: '2026-12-02T13:00:02.500Z',
      configuration_version: '1733144400',
      transaction_uuid: 'tx-1',
      metrics: expect.arrayContaining([
        { category: 'time', name: 'total', value: 2.5 },
        { category: 'resources', name: 'changed', value: 1 },
      ]),
      resources: [
        {
          resource_type: 'Notify',
          resource_title: 'x',
          timestamp: '2026-12-02T13:00:01.000+00:00',
          containment_path: ['Stage[main]', 'Main', 'Notify[x]'],
          events: [expect.objectContaining({ new_value: 'hello', old_value: 'absent', status: 'success' })],
        },
      ],
      logs: [expect.objectContaining({ message: 'hello', level: 'notice' })],
    });
  });

  it('never raises: a failing, an unreachable and a slow endpoint are logged, the others still get the report', async () => {
    receiver.answer = (q) =>
      q.url === '/broken'
        ? { status: 500, body: 'receiver exploded' }
        : q.url === '/slow'
          ? { status: 200, body: '', hang: true }
          : { status: 200, body: '{}' };
    const t0 = Date.now();
    const r = await processReport(
      renderReportSettings([
        endpoint('broken', { url: `${receiver.url}/broken` }),
        endpoint('down', { url: 'http://127.0.0.1:9/reports' }),
        endpoint('slow', { url: `${receiver.url}/slow`, timeoutSeconds: 1 }),
        endpoint('working'),
      ]),
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r).toMatchObject({ code: 0, stdout: 'processed\n' });
    expect(receiver.received.map((q) => q.url)).toEqual(['/broken', '/slow', '/reports']);
    expect(r.stderr).toMatch(
      /err: openvox_http: ReportProcessor broken: POST .*\/broken answered HTTP 500 receiver exploded/,
    );
    expect(r.stderr).toMatch(
      /err: openvox_http: ReportProcessor down: POST http:\/\/127\.0\.0\.1:9\/reports: .*refused/i,
    );
    expect(r.stderr).toMatch(/err: openvox_http: ReportProcessor slow: POST .*\/slow: Net::ReadTimeout/);
  });

  it('does not raise on unreadable settings either', async () => {
    const r = await processReport('{not json');
    expect(r).toMatchObject({ code: 0, stdout: 'processed\n' });
    expect(r.stderr).toMatch(/err: openvox_http: cannot read the settings .*the report of agent1 is not forwarded/);
  });

  // In the pods JRuby runs it: once there too (it starts slowly, so one run for all the cases).
  (existsSync(JRUBY) ? it : it.skip)(
    "runs the same under JRuby, puppetserver's interpreter",
    async () => {
      receiver.answer = (q) => (q.url === '/broken' ? { status: 500, body: 'no' } : { status: 200, body: '{}' });
      const r = await processReport(
        renderReportSettings([
          endpoint('a-generic', { headers: { 'X-Team': 'ops' } }),
          endpoint('b-puppetdb', { processor: 'puppetdb', url: receiver.url }),
          endpoint('c-broken', { url: `${receiver.url}/broken` }),
          endpoint('d-down', { url: 'http://127.0.0.1:9/reports' }),
        ]),
        JRUBY,
      );
      expect(r).toMatchObject({ code: 0, stdout: 'processed\n' });
      expect(receiver.received.map((q) => q.url.split('?')[0])).toEqual(['/reports', '/pdb/cmd/v1', '/broken']);
      expect(JSON.parse(receiver.received[0]!.body)).toEqual(REPORT);
      expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({
        certname: 'agent1',
        end_time: '2026-12-02T13:00:02.500Z',
      });
      expect(r.stderr).toMatch(/ReportProcessor c-broken: .*answered HTTP 500/);
      expect(r.stderr).toMatch(/ReportProcessor d-down: .*refused/i);
    },
    120_000,
  );
});
