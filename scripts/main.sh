#!/usr/bin/env bash
# The main job: the paper's reproduction with the defaults (both presets, experiments 1 and 2,
# one seed, 20 epochs) into reports/latest, fetching MNIST first if it is not there.
# Options go on to `statnet reproduce` (for example --seeds 3, --ablations); with --quick the
# report goes to reports/quick, and --data DIR (or $STATNET_DATA) says where MNIST is.
set -euo pipefail
cd "$(dirname "$0")/.."
args=() out=reports/latest
while (($#)); do
  case $1 in
    --data) export STATNET_DATA=$2; shift 2 ;;
    --data=*) export STATNET_DATA=${1#--data=}; shift ;;
    --quick) out=reports/quick; args+=("$1"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
source scripts/setup.sh
swift build "${build_flags[@]}"
statnet=.build/release/statnet
if ! "$statnet" data verify >/dev/null 2>&1; then
  export STATNET_DATA=${STATNET_DATA:-data/mnist}
  echo "main: no verified MNIST in $STATNET_DATA, fetching it (or put the four files there: statnet data import DIR)" >&2
  "$statnet" data download
fi
"$statnet" data verify
"$statnet" reproduce --out "$out" ${args[@]+"${args[@]}"}
