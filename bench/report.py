"""Print the benchmark table from bench/results/<scale>.json (written by bench/run.py): per scale
every page's median and p95 latency, requests per second, queries per request and its median as a
multiple of the baseline page's; then the growth of every page's median between scales, and the
targets of issue #8 part 3 met or missed. Writes the same as bench/results/summary.json."""

import json
import sys
from itertools import pairwise
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = ["hundredth", "tenth", "full"]
BASELINE = "baseline (privacy page)"
MAX_QUERIES, MAX_RATIO, MAX_RSS_MB = 15, 5.0, 200
# Growth from the tenth to the full set: twice for the municipal dashboard, 1.5 times for the rest.
MAX_GROWTH = {"municipal dashboard": 2.0}
DEFAULT_GROWTH = 1.5


def load():
    found = {}
    for scale in ORDER:
        path = RESULTS / f"{scale}.json"
        if path.exists():
            found[scale] = json.loads(path.read_text())
    return found


def main():
    runs = load()
    if not runs:
        sys.exit("No results in bench/results/: run bench/run.py first.")
    summary = {"scales": {}, "growth": {}, "targets": []}
    for scale, run in runs.items():
        pages = {p["name"]: p for p in run["pages"]}
        base = pages[BASELINE]["median_ms"]
        print(f"\n## {scale}: {run['rows']['schools']:,} schools, {run['rows']['referrals']:,} referrals, "
              f"{run['rows']['signals']:,} signals ({run['measured_at']})")  # fmt: skip
        print("| page | median ms | p95 ms | req/s | queries | × baseline |\n|---|--:|--:|--:|--:|--:|")
        for name, page in pages.items():
            ratio = page["median_ms"] / base
            page["ratio"] = round(ratio, 1)
            print(
                f"| {name} | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['requests_per_second']:.1f} "
                f"| {page['queries']} | {ratio:.1f} |"
            )
        rss = run["worker_rss_mb"]
        print(f"\nworkers' RSS after {run['total_requests']:,} requests: "
              + ", ".join(f"{mb:.0f} MB" for mb in rss.values())
              + f"; failed requests: {len(run['errors'])}")  # fmt: skip
        summary["scales"][scale] = {"pages": pages, "worker_rss_mb": rss, "total_requests": run["total_requests"]}

    scales = list(runs)
    for small, large in pairwise(scales):
        a = {p["name"]: p for p in runs[small]["pages"]}
        b = {p["name"]: p for p in runs[large]["pages"]}
        # The machine is shared: the baseline's own change says how much busier it was.
        busier = b[BASELINE]["median_ms"] / a[BASELINE]["median_ms"]
        print(f"\n## growth {small} → {large}: median of the larger / median of the smaller; the same")
        print(f"divided by the baseline's own growth ({busier:.2f}×, the machine's load); queries")
        print("| page | growth | growth ÷ baseline's | queries |\n|---|--:|--:|--:|")
        growth, relative = {}, {}
        for name in b:
            if name in a:
                g = b[name]["median_ms"] / a[name]["median_ms"]
                growth[name], relative[name] = round(g, 2), round(g / busier, 2)
                print(f"| {name} | {g:.2f}× | {g / busier:.2f}× | {a[name]['queries']} → {b[name]['queries']} |")
        summary["growth"][f"{small}->{large}"] = growth
        summary["growth"][f"{small}->{large} relative to the baseline"] = relative

    target_scale = "full" if "full" in runs else scales[-1]
    pages = summary["scales"][target_scale]["pages"]
    targets = summary["targets"]
    for name, page in pages.items():
        targets.append((f"{name}: queries ≤ {MAX_QUERIES}", page["queries"] <= MAX_QUERIES, page["queries"]))
        if name != BASELINE:
            targets.append((f"{name}: median ≤ {MAX_RATIO}× baseline", page["ratio"] <= MAX_RATIO, page["ratio"]))
    if "tenth" in runs and "full" in runs:
        for name, g in summary["growth"]["tenth->full"].items():
            if name != BASELINE:
                limit = MAX_GROWTH.get(name, DEFAULT_GROWTH)
                targets.append((f"{name}: growth tenth→full ≤ {limit}×", g <= limit, g))
        qa = {p["name"]: p["queries"] for p in runs["tenth"]["pages"]}
        for name, page in pages.items():
            targets.append((f"{name}: queries constant tenth→full", qa.get(name) == page["queries"], page["queries"]))
    for pid, mb in summary["scales"][target_scale]["worker_rss_mb"].items():
        targets.append((f"worker {pid} RSS ≤ {MAX_RSS_MB} MB", mb <= MAX_RSS_MB, mb))
    print(f"\n## targets on the {target_scale} set")
    missed = [t for t in targets if not t[1]]
    for label, ok, value in targets:
        if not ok:
            print(f"MISSED {label}: {value}")
    print(f"{len(targets) - len(missed)} of {len(targets)} met")
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
