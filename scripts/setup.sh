# Sourced by main.sh and test.sh: makes sure the system libraries the package links are there.
# As root it installs them with apt-get; otherwise it names the exact command and stops.
set -euo pipefail

need=()
pkg-config --version >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists openblas 2>/dev/null || need+=(libopenblas-dev)
[[ -f /usr/include/zlib.h ]] || need+=(zlib1g-dev)
pkg-config --exists libpng 2>/dev/null || need+=(libpng-dev)
pkg-config --exists libcrypto 2>/dev/null || need+=(libssl-dev)
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing ${need[*]} with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: missing system packages. Run:  sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain needed)" >&2; exit 1; }

# One release build for every script: the tests reach internals with @testable, which needs
# -enable-testing, so main.sh builds with it too and test.sh after it rebuilds nothing.
# (The same bits either way; a package that depends on StatNet builds without it.)
build_flags=(-c release -Xswiftc -enable-testing)

# The MNIST folder: $STATNET_DATA, else ./data/mnist, else ../shared/data/mnist beside the clone.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${STATNET_DATA:-} ]]; then
  if [[ -d $here/data/mnist ]]; then export STATNET_DATA=$here/data/mnist
  elif [[ -d $here/../shared/data/mnist ]]; then export STATNET_DATA=$(cd "$here/../shared/data/mnist" && pwd)
  fi
fi
