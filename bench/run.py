"""`make bench`: time and measure every notebook of the book, then the online-inference micro-benchmark.

Each notebook runs in a fresh kernel, one at a time (nothing else should run meanwhile: on a
2-core machine a concurrent job halves the speed). Prints a table, flags what is over budget,
and writes the figures as JSON to bench/results/ for comparison between versions.
Budgets: each notebook <= 60 s and <= 1.5 GB peak RSS; the whole book <= 240 s.
"""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import platform
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
import _paths  # noqa: E402,F401  (scripts/ on sys.path)
from robustness import cpu_name  # noqa: E402
from toc import toc_notebooks  # noqa: E402

BUDGET_S, BUDGET_MB, BUDGET_TOTAL_S = 60.0, 1536.0, 240.0


def machine() -> dict:
    import psutil

    return {"cpu": cpu_name(), "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def versions() -> dict:
    out = subprocess.run([sys.executable, "-c", "import helpers, keras, tensorflow as tf, numpy as np; "
                          "print(keras.__version__, tf.__version__, np.__version__)"],
                         capture_output=True, text=True, check=True).stdout.split()
    return {"keras": out[0], "tensorflow": out[1], "numpy": out[2]}


def bench_notebooks() -> list[dict]:
    rows = []
    for nb in toc_notebooks():
        print(f"  running {nb.relative_to(ROOT)} ...", flush=True)
        res = subprocess.run([sys.executable, str(ROOT / "bench" / "execute_one.py"), str(nb)],
                             capture_output=True, text=True, cwd=ROOT)
        if res.returncode != 0:
            raise SystemExit(f"bench: could not execute {nb}:\n{res.stderr[-2000:]}")
        row = json.loads(res.stdout.strip().splitlines()[-1])
        row["notebook"] = str(nb.relative_to(ROOT))
        row["over_budget"] = bool(row["error"] or row["wall_s"] > BUDGET_S or row["peak_rss_mb"] > BUDGET_MB)
        row["wall_s"] = row["wall_s"] or 0.0
        rows.append(row)
    return rows


def bench_streaming() -> dict | None:
    """Per-step latency of each way of serving LSTM(100)->Dense(3) on 128 inputs, as ratios to predict_on_batch."""
    code = ("import json, helpers, keras; helpers.set_seed(0); "
            "inp = keras.Input((None, 128)); h = keras.layers.LSTM(100, return_sequences=True)(inp); "
            "model = keras.Model(inp, keras.layers.Dense(3)(h)); "
            "print(json.dumps(helpers.streaming_latency_table(model, n_steps=200, n_steps_predict=30)))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        print(f"  streaming micro-benchmark unavailable: {res.stderr.strip().splitlines()[-1] if res.stderr else '?'}")
        return None
    seconds = json.loads(res.stdout.strip().splitlines()[-1])
    ref = seconds["stateful copy: predict_on_batch"]
    return {name: {"seconds_per_step": s, "ratio_to_predict_on_batch": s / ref} for name, s in seconds.items()}


def main() -> int:
    print("Benchmarking every notebook in _toc.yml, one at a time, each in a fresh kernel.")
    rows = bench_notebooks()
    total = sum(r["wall_s"] for r in rows)
    print()
    print(f"{'notebook':<55} {'wall s':>7} {'peak MB':>8} {'cells':>6}  budget")
    for r in rows:
        flag = "OVER" if r["over_budget"] else "ok"
        print(f"{r['notebook']:<55} {r['wall_s']:>7.1f} {r['peak_rss_mb']:>8.0f} {r['cells']:>6}  {flag}"
              + (f"  ({r['error']})" if r["error"] else ""))
    total_flag = "OVER" if total > BUDGET_TOTAL_S else "ok"
    print(f"{'total':<55} {total:>7.1f} {'':>8} {'':>6}  {total_flag} (budget {BUDGET_TOTAL_S:.0f} s)")
    print(f"budgets: {BUDGET_S:.0f} s and {BUDGET_MB:.0f} MB per notebook, {BUDGET_TOTAL_S:.0f} s for the book")

    print("\nOnline inference, LSTM(100)->Dense(3) on 128 inputs, time per step:")
    streaming = bench_streaming()
    if streaming:
        for name, v in sorted(streaming.items(), key=lambda kv: kv[1]["seconds_per_step"]):
            print(f"  {name:<36} {v['seconds_per_step'] * 1e6:>10.1f} µs   {v['ratio_to_predict_on_batch']:>7.3f} × predict_on_batch")

    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": machine(), "versions": versions(), "notebooks": rows, "total_wall_s": round(total, 1),
              "budgets": {"notebook_s": BUDGET_S, "notebook_mb": BUDGET_MB, "total_s": BUDGET_TOTAL_S},
              "streaming": streaming}
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = result["date"].replace(":", "").replace("+0000", "Z")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (out_dir / name).write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nwrote {out_dir / 'latest.json'}")
    over = [r["notebook"] for r in rows if r["over_budget"]] + (["total"] if total > BUDGET_TOTAL_S else [])
    if over:
        print(f"over budget: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
