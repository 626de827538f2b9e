#!/usr/bin/env bash
# The main job: the paper's reproduction with the defaults (both presets, experiments 1 and 2,
# one seed, 20 epochs) into reports/latest, fetching MNIST first if it is not there.
# Options are passed on to `statnet reproduce` (for example --quick, --seeds 3, --ablations).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release
statnet=.build/release/statnet
if ! "$statnet" data verify >/dev/null 2>&1; then
  export STATNET_DATA=${STATNET_DATA:-data/mnist}
  echo "main: no verified MNIST in $STATNET_DATA, fetching it" >&2
  "$statnet" data download
fi
"$statnet" data verify
"$statnet" reproduce --out reports/latest "$@"
