# The code image's production environment (test/images/build.sh, image localhost/openvox-test/code:1).
node default {
  notify { 'code-image':
    message => "catalog from the code image for ${trusted['certname']}",
  }
}
