#!/usr/bin/env bash
# `npm test`: build, bring up the local control plane (building the Kubernetes binaries once, cached
# outside the repo), run the unit and end-to-end suites, tear the cluster down, print a summary line.
set -uo pipefail
cd "$(dirname "$0")/../.."
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"

npm run build || exit 1
[ -x test/puppet/install.sh ] && { bash test/puppet/install.sh || exit 1; }
node test/dist/cluster/cli.js up || exit 1
trap 'node test/dist/cluster/cli.js down' EXIT

results=$(mktemp)
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --forceExit --json --outputFile="$results" "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" || echo "tests: 0 passed, 1 failed"
rm -f "$results"
exit $status
