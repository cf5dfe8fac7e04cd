"""The load generator of bench/run.py, in its own process (no Django here): reads a plan as JSON
on stdin, sends every page `requests` times from `concurrency` threads (each with its own
keep-alive connection), then mixed requests until `soak` requests were sent in all, and prints
latencies (median, p95), requests per second and failures as JSON on stdout."""

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


class Connection:
    def __init__(self, base: str, cookie_name: str):
        parts = urlsplit(base)
        self.host, self.port, self.cookie_name = parts.hostname, parts.port, cookie_name
        self.http = None

    def get(self, path: str, session: str | None) -> tuple[int, float]:
        headers = {"Accept-Language": "nl-BE"}
        if session:
            headers["Cookie"] = f"{self.cookie_name}={session}"
        for attempt in range(2):
            if self.http is None:
                self.http = http.client.HTTPConnection(self.host, self.port, timeout=120)
            started = time.perf_counter()
            try:
                self.http.request("GET", path, headers=headers)
                response = self.http.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.getheader("Connection", "").lower() == "close":
                    self.http.close()
                    self.http = None
                return response.status, elapsed
            except (http.client.HTTPException, OSError):
                self.http.close()
                self.http = None
                if attempt:
                    return 0, time.perf_counter() - started
        raise AssertionError("unreachable")


def hammer(plan, jobs):
    """Send `jobs` (a list of page dicts) from the plan's threads; return (latencies, failures, seconds)."""
    latencies, failures, lock = [], [], threading.Lock()
    queue = list(reversed(jobs))

    def work():
        connection = Connection(plan["base"], plan["cookie_name"])
        while True:
            with lock:
                if not queue:
                    return
                page = queue.pop()
            status, elapsed = connection.get(page["path"], page["session"])
            with lock:
                latencies.append((page["name"], elapsed))
                if status != 200:
                    failures.append({"page": page["name"], "status": status})

    threads = [threading.Thread(target=work) for _ in range(plan["concurrency"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures, time.perf_counter() - started


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    plan = json.load(sys.stdin)
    results, errors, total = {}, [], 0
    for page in plan["pages"]:
        hammer(plan, [page] * plan["concurrency"] * 2)  # warm-up, not counted in the statistics
        latencies, failures, seconds = hammer(plan, [page] * plan["requests"])
        total += plan["concurrency"] * 2 + len(latencies)
        times = [t for _name, t in latencies]
        results[page["name"]] = {
            "requests": len(times),
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(p95(times) * 1000, 2),
            "requests_per_second": round(len(times) / seconds, 1),
            "failures": len(failures),
        }
        errors += failures
    # The soak: mixed pages until the workers have served `soak` requests in all.
    remaining = max(0, plan["soak"] - total)
    soak = [plan["pages"][i % len(plan["pages"])] for i in range(remaining)]
    _latencies, failures, seconds = hammer(plan, soak)
    total += remaining
    errors += failures
    json.dump(
        {"pages": results, "total_requests": total, "soak_seconds": round(seconds, 1), "errors": errors[:50]},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
