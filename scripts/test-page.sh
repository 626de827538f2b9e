#!/usr/bin/env bash
# The page of `statnet serve` in a real headless Chromium (Debian's chromium and
# chromium-driver, selenium from PyPI), then a load test of its API: 2,000 predictions from 32
# concurrent clients. Models: the reproduction folder given (CI passes its quick run), else
# reports/latest. Screenshots go to $SCREENSHOTS (default: a temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
models=${1:-reports/latest}
shots=${SCREENSHOTS:-$(mktemp -d)}
statnet=.build/release/statnet
[[ -x $statnet ]] || { echo "test-page: build first: swift build -c release" >&2; exit 1; }
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [[ $(id -u) == 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "test-page: skipped: chromium and chromium-driver are missing (sudo apt-get install chromium chromium-driver)" >&2
    exit 0
  fi
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
log=$(mktemp)
"$statnet" serve --port 0 --models "$models" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 120); do
  grep -q "serving on" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
url=$(grep -o "http://[^ ]*" "$log" | head -1)
[[ -n $url ]] || { echo "test-page: the server did not start" >&2; cat "$log" >&2; exit 1; }
echo "test-page: server at $url" >&2
python3 Tests/page/test_page.py "$url" "$shots"
python3 Tests/page/load_test.py "$url" "$server" --requests 2000 --clients 32
kill -0 $server || { echo "test-page: the server died under load" >&2; exit 1; }
# Last, as it stops the server: the page shows a banner and greys out stale results.
python3 Tests/page/test_offline.py "$url" "$server"
