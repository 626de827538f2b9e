"""Load on `statnet serve`: N predictions of drawn digits from C concurrent clients over
keep-alive connections; zero errors expected; p50/p99 latency, requests per second, and the
server's memory before and after.

    python3 Tests/page/load_test.py http://127.0.0.1:PORT/ SERVER_PID [--requests 2000] [--clients 32]
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS")).split()[1])


def drawing(k):
    """A 120x120 white canvas with a dark stroke that moves with k (so no two are the same)."""
    w = h = 120
    pixels = [255] * (w * h)
    x0 = 30 + k % 40
    for y in range(20, 100):
        for x in range(x0, x0 + 12 + (y // 10) % 4):
            pixels[y * w + x] = 0
    return json.dumps({"width": w, "height": h, "pixels": pixels}).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("pid", type=int)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=32)
    a = ap.parse_args()
    target = urllib.parse.urlparse(a.url)
    bodies = [drawing(k) for k in range(64)]
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(a.requests))

    def client():
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        while True:
            with lock:
                k = next(counter, None)
            if k is None:
                break
            start = time.perf_counter()
            try:
                connection.request("POST", "/api/predict", body=bodies[k % len(bodies)], headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200 and b'"statnet"' in body
            except Exception as e:  # a dropped connection counts as an error; reconnect
                ok = False
                connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            with lock:
                (latencies if ok else errors).append(time.perf_counter() - start)

    before = rss_kb(a.pid)
    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    after = rss_kb(a.pid)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    result = {"requests": a.requests, "clients": a.clients, "errors": len(errors), "requests_per_s": round(len(latencies) / elapsed, 1),
              "p50_ms": round(1000 * q[49], 2), "p99_ms": round(1000 * q[98], 2), "rss_before_mb": round(before / 1024, 1),
              "rss_after_mb": round(after / 1024, 1)}
    print(json.dumps(result))
    if errors:
        raise SystemExit(f"{len(errors)} requests failed")


if __name__ == "__main__":
    main()
