#!/usr/bin/env bash
# The main job. For now: check the MNIST data (fetching it if absent) and show the features
# of a test digit. Options are passed on to `statnet features`.
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
"$statnet" features --split test --index 0 "$@"
