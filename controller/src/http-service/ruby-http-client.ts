// The Net::HTTP client builder of the Ruby scripts the operator renders into Server pods (the ENC and
// the report processor): one copy, so both talk TLS the same way. It takes the settings hash the
// operator renders for one service (`timeoutSeconds`, `tls.caFile`, `tls.clientCertificate` with
// `certFile`/`keyFile`) and a URI; https is verified against the system CAs plus the Puppet CA, and
// mTLS uses the Server's own Puppet certificate. `write_timeout=` is guarded: older JRuby lacks it.

/** A Ruby method `name(settings, uri)` returning an unstarted Net::HTTP for `uri`. */
export function rubyHttpClient(name: string, defaultTimeoutSeconds: number): string {
  return String.raw`def ${name}(settings, uri)
  http = Net::HTTP.new(uri.host, uri.port)
  timeout = settings['timeoutSeconds'] || ${defaultTimeoutSeconds}
  http.open_timeout = timeout
  http.read_timeout = timeout
  http.write_timeout = timeout if http.respond_to?(:write_timeout=)
  return http unless uri.scheme == 'https'
  tls = settings['tls'] || {}
  store = OpenSSL::X509::Store.new
  store.set_default_paths
  store.add_file(tls['caFile']) if tls['caFile'] && File.file?(tls['caFile'])
  http.use_ssl = true
  http.verify_mode = OpenSSL::SSL::VERIFY_PEER
  http.cert_store = store
  if tls['clientCertificate']
    http.cert = OpenSSL::X509::Certificate.new(File.read(tls.fetch('certFile')))
    http.key = OpenSSL::PKey.read(File.read(tls.fetch('keyFile')))
  end
  http
end`;
}
