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
# cert-manager (for the chart suites) builds while the cluster's own builds run; cached afterwards.
cert_manager_log=$(mktemp)
bash test/src/chart/cert-manager/build.sh >"$cert_manager_log" 2>&1 &
cert_manager_build=$!
# kube-score (the workload linter of test/src/lint/) too: a minute or two cold, then cached.
kube_score_log=$(mktemp)
bash test/src/lint/build-kube-score.sh >"$kube_score_log" 2>&1 &
kube_score_build=$!
# Set first: a cluster that came up only in part is torn down too.
trap 'node test/dist/cluster/cli.js down' EXIT
node test/dist/cluster/cli.js up || exit 1
wait $cert_manager_build || { cat "$cert_manager_log"; echo "cert-manager build failed"; exit 1; }
rm -f "$cert_manager_log"
wait $kube_score_build || { cat "$kube_score_log"; echo "kube-score build failed"; exit 1; }
rm -f "$kube_score_log"

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
