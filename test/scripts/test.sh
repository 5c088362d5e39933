#!/usr/bin/env bash
# `npm test`: build, bring up the local control plane (building the Kubernetes binaries once, cached
# outside the repo), run the unit and end-to-end suites, audit the run for leaked secrets and unhardened
# pods, tear the cluster down, and print a summary line.
set -uo pipefail
cd "$(dirname "$0")/../.."
# The node IP, the pod and the service networks are on this machine: never through a proxy.
export NO_PROXY="127.0.0.1,localhost,10.213.0.1,10.214.0.0/16,10.0.0.0/24${NO_PROXY:+,$NO_PROXY}"

npm run build || exit 1
bash test/puppet/install.sh || exit 1
# Set first: a cluster that came up only in part is torn down too.
trap 'node test/dist/cluster/cli.js down' EXIT
# cert-manager (for the chart suites) and kube-score (the workload linter of test/src/lint/) build beside
# the cluster's own builds, under the same progress lines; all cached afterwards outside the repo.
node test/dist/cluster/cli.js up --also cert-manager --also kube-score || exit 1

results=$(mktemp)
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --forceExit --json --outputFile="$results" "$@"
status=$?

# Needs the whole run's logs, Events and objects, so it runs after the suites and before teardown.
node test/dist/security/cli.js
audit=$?
[ $audit -eq 0 ] || status=1

node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const auditFailed = process.argv[2] === "0" ? 0 : 1;
  const passed = r.numPassedTests + 1 - auditFailed, failed = r.numFailedTests + auditFailed;
  console.log(`tests: ${passed} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" "$audit" || echo "tests: 0 passed, 1 failed"
rm -f "$results"
exit $status
