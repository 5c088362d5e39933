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
runs=$(mktemp -d)
# Set first: a cluster that came up only in part is torn down too.
trap 'node test/dist/cluster/cli.js down; rm -rf "$runs"' EXIT

# One jest run of a project, its results in $runs/<project>.json. A pattern given to `npm test -- …` may
# match no file of a project: that is not a failure.
run() {
  local project=$1
  shift
  NODE_OPTIONS=--experimental-vm-modules npx jest --selectProjects "$project" --passWithNoTests --forceExit \
    --json --outputFile="$runs/$project.json" "$@"
}

# The unit tests need no cluster: they run while it comes up (its builds, on a new machine), and their
# output follows once it is up.
run unit --maxWorkers=2 "$@" >"$runs/unit.log" 2>&1 &
unit=$!
# cert-manager (for the chart suites) and kube-score (the workload linter of test/src/lint/) build beside
# the cluster's own builds, under the same progress lines; all cached afterwards outside the repo.
node test/dist/cluster/cli.js up --also cert-manager --also kube-score
up=$?
wait $unit
status=$?
cat "$runs/unit.log"
[ $up -eq 0 ] || exit 1

# Two files at a time, then those that stop or freeze what the others rely on, alone (jest.config.js).
run e2e --maxWorkers=2 "$@" || status=1
run e2e-exclusive --runInBand "$@" || status=1

# Needs the whole run's logs, Events and objects, so it runs after the suites and before teardown.
node test/dist/security/cli.js
audit=$?
[ $audit -eq 0 ] || status=1

node -e '
  const { existsSync, readFileSync } = require("fs");
  const [dir, audit] = process.argv.slice(1);
  let passed = audit === "0" ? 1 : 0, failed = 1 - passed, skipped = 0;
  for (const project of ["unit", "e2e", "e2e-exclusive"]) {
    const file = `${dir}/${project}.json`;
    // A jest run that wrote no results crashed: one failure for it.
    if (!existsSync(file)) { failed += 1; continue; }
    const r = JSON.parse(readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$runs" "$audit" || echo "tests: 0 passed, 1 failed"
exit $status
