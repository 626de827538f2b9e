#!/usr/bin/env bash
# Installs what the build needs, then builds and runs every test (release mode: the feature
# and fuzz tests are numeric loops that debug builds make slow). Options go on to `swift test`.
#   scripts/test.sh           every test (what CI runs)
#   scripts/test.sh --fast    the unit tests only: no process-level tests (the CLI runs,
#                             kill-anywhere, full epochs on MNIST)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
args=()
for a in "$@"; do
  if [[ $a == --fast ]]; then
    # Each of these starts processes or trains whole epochs; the rest are unit tests.
    for suite in RunSafetyCLITests NewcomerCLITests ReproduceCLITests TrainCLITests DataAndFeaturesCLITests FullEpochTests RunFolderTests HostileInputCLITests ServeCLITests; do
      args+=(--skip "$suite")
    done
  else
    args+=("$a")
  fi
done
swift build --build-tests "${build_flags[@]}"
swift test "${build_flags[@]}" --skip-build --disable-swift-testing ${args[@]+"${args[@]}"}
