#!/usr/bin/env bash
# Installs what the build needs, then builds and runs every test (release mode: the feature
# and fuzz tests are numeric loops that debug builds make slow).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests -c release
swift test -c release --skip-build --disable-swift-testing "$@"
