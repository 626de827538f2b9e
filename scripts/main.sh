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
swift build "${build_flags[@]}" --product statnet   # the server (statnet-serve) is built on first use
statnet=.build/release/statnet
# One data rule for the scripts and the binary: MNIST ends up in ./data/mnist, where every
# later `statnet` command run from the clone finds it without --data.
if ! STATNET_DATA=data/mnist "$statnet" data verify >/dev/null 2>&1; then
  if [[ -n ${STATNET_DATA:-} && $STATNET_DATA != data/mnist ]] && "$statnet" data verify >/dev/null 2>&1; then
    echo "main: copying MNIST from $STATNET_DATA into data/mnist (verified), where every statnet command finds it" >&2
    "$statnet" data import "$STATNET_DATA" --data data/mnist
  else
    echo "main: no verified MNIST in ${STATNET_DATA:-data/mnist}: fetching it into data/mnist (or put the four files somewhere and run: statnet data import DIR)" >&2
    "$statnet" data download --data data/mnist
  fi
fi
export STATNET_DATA=data/mnist
"$statnet" data verify
"$statnet" reproduce --out "$out" ${args[@]+"${args[@]}"}
echo "main: done. Put the tool on your PATH for the commands in the README: export PATH=\"$PWD/.build/release:\$PATH\"" >&2
