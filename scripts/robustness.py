"""`make robustness`: re-execute every notebook under other seeds and other CPU kernels.

Every claim of the book is an ``assert`` in a cell; this command checks that the claims are not an
accident of one seed or of one CPU's float round-off. Each TOC notebook is executed (a copy, in a
fresh kernel, in its own process) once per run:

* the committed seed with the default kernels, and with every kernel variant;
* each of ``--seeds`` (default 1 2 3 4: the chapter's one ``SEED = ...`` line is rewritten) with
  every kernel variant.

Kernel variants stand in for "another CPU": ``onednn`` (``TF_ENABLE_ONEDNN_OPTS=1``, other kernels
and other round-off) and ``1thread`` (one intra-op and one inter-op thread, other reduction order).

A run fails if any cell raises (a failing ``assert`` is an error). Runs at the committed seed also
compare every strictly compared cell (one not tagged ``nbval-ignore-output``) with the committed
output, as nbval does: those outputs must not depend on the CPU's round-off.

The key numbers a notebook declares in its metadata (``metadata.book.key_numbers``, a mapping of
name -> {"expr": Python expression evaluated at the end of the notebook, "label": text}) are
collected from every run and written to ``results/robustness.json``; ``--render`` turns that file
into the book page ``book/appendix/robustness.md``.

    python scripts/robustness.py                       # everything (seeds 1-4 x 3 variants)
    python scripts/robustness.py --seeds 1 2 --variants default --committed-variants onednn \
        --out _build/robustness-ci.json                # what CI adds to make test
    python scripts/robustness.py --render              # only rewrite the page from the JSON
"""

from __future__ import annotations

import argparse
import concurrent.futures
import configparser
import datetime
import fcntl
import json
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
from execute import fingerprint  # noqa: E402
from toc import toc_notebooks  # noqa: E402

RESULTS = ROOT / "results" / "robustness.json"
PAGE = ROOT / "book" / "appendix" / "robustness.md"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
SEED_LINE = re.compile(r"^SEED = (\d+)$", re.M)
IGNORE_TAG = "nbval-ignore-output"
VARIANTS = {
    "default": {},
    "onednn": {"TF_ENABLE_ONEDNN_OPTS": "1"},
    "1thread": {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"},
}
COMPARED_MIME = ("text/plain", "text/markdown", "text/html", "text/latex", "application/json")


# --- what a notebook declares ------------------------------------------------------------------

def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def committed_seed(nb: dict) -> int | None:
    """The notebook's one ``SEED = N`` line (None if it has none); more than one is an error."""
    found = [int(m) for c in code_cells(nb) for m in SEED_LINE.findall("".join(c["source"]))]
    if len(found) > 1:
        raise ValueError(f"{len(found)} 'SEED = ...' lines; a notebook takes its seed from exactly one")
    return found[0] if found else None


def key_numbers(nb: dict) -> dict[str, dict]:
    """The key numbers the notebook declares: name -> {"expr": ..., "label": ...}."""
    return nb.get("metadata", {}).get("book", {}).get("key_numbers", {})


def with_seed(nb: dict, seed: int) -> dict:
    """A copy of the notebook whose ``SEED = ...`` line says ``seed``."""
    nb = json.loads(json.dumps(nb))
    for cell in code_cells(nb):
        src = "".join(cell["source"])
        if SEED_LINE.search(src):
            cell["source"] = SEED_LINE.sub(f"SEED = {seed}", src)
    return nb


# --- comparing outputs -------------------------------------------------------------------------

def sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser()
    cfg.read(SANITIZE)
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def comparable_outputs(cell: dict, subs) -> list[str]:
    """The outputs nbval compares for a cell (text only; images are not compared), sanitized."""
    out, merged = [], []
    for o in cell.get("outputs", []):  # consecutive stream messages are one output (how they split varies)
        if o["output_type"] == "stream" and merged and merged[-1]["output_type"] == "stream" \
                and merged[-1]["name"] == o["name"]:
            merged[-1] = {**merged[-1], "text": "".join(merged[-1]["text"]) + "".join(o["text"])}
        else:
            merged.append(o)
    for o in merged:
        if o["output_type"] == "stream":
            texts = [("stream:" + o["name"], "".join(o["text"]))]
        elif o["output_type"] == "error":
            texts = [("error", f"{o['ename']}: {o['evalue']}")]
        else:
            texts = [(k, "".join(v) if isinstance(v, list) else json.dumps(v))
                     for k, v in sorted(o.get("data", {}).items()) if k in COMPARED_MIME]
        for kind, text in texts:
            for pattern, replace in subs:
                text = pattern.sub(replace, text)
            if text:  # an output the sanitizers emptied (a start-up log line) is no output
                out.append(f"{kind}\n{text}")
    return out


def strict_mismatches(committed: dict, executed: dict) -> list[str]:
    """Code cells compared strictly (not tagged nbval-ignore-output) whose outputs differ."""
    subs, problems = sanitizers(), []
    for i, (a, b) in enumerate(zip(code_cells(committed), code_cells(executed))):
        if ignored(a):
            continue
        if comparable_outputs(a, subs) != comparable_outputs(b, subs):
            first = "".join(a["source"]).splitlines()[:1]
            problems.append(f"code cell {i} ({first[0][:60] if first else ''!r}): output differs from the committed one")
    return problems


def _rel(path: pathlib.Path) -> str:
    return pathlib.Path(os.path.relpath(path, ROOT)).as_posix()


def ignored(cell: dict) -> bool:
    """Is the cell's output left out of the byte-for-byte comparison (tag or nbval comment marker)?"""
    tagged = IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
    return tagged or any(ln.strip() == "# NBVAL_IGNORE_OUTPUT" for ln in "".join(cell["source"]).splitlines())


# --- one run -----------------------------------------------------------------------------------

COLLECT = """import json as _json
print("__KEY_NUMBERS__" + _json.dumps({name: float(eval(spec["expr"])) for name, spec in %r.items()}))
"""


def run_one(path: pathlib.Path, seed: int | None, variant: str) -> dict:
    """Execute one notebook once (in this process: call through ``_run_in_subprocess``)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    committed = json.loads(path.read_text())
    nb = with_seed(committed, seed) if seed is not None else committed
    keys = key_numbers(committed)
    node = nbformat.reads(json.dumps(nb), as_version=4)
    node.cells.append(nbformat.v4.new_code_cell(COLLECT % (keys,)))
    result = {"notebook": _rel(path), "seed": seed if seed is not None else committed_seed(committed),
              "variant": variant, "committed_seed": seed is None, "errors": [], "numbers": {}}
    start = time.perf_counter()
    try:
        NotebookClient(node, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as e:
        result["errors"].append(str(e).strip().splitlines()[-1][:400])
    result["seconds"] = round(time.perf_counter() - start, 1)
    if not result["errors"]:
        stdout = "".join("".join(o.get("text", "")) for o in node.cells[-1].outputs if o.get("name") == "stdout")
        line = next((ln for ln in stdout.splitlines() if ln.startswith("__KEY_NUMBERS__")), None)
        if line is None:
            result["errors"].append("could not collect the key numbers")
        else:
            result["numbers"] = {k: float(f"{v:.6g}") for k, v in json.loads(line[len("__KEY_NUMBERS__"):]).items()}
        if seed is None:
            executed = json.loads(nbformat.writes(node))
            executed["cells"] = executed["cells"][:-1]
            result["errors"] += strict_mismatches(committed, executed)
    return result


def _run_in_subprocess(path: pathlib.Path, seed: int | None, variant: str) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", **VARIANTS[variant]}
    args = [sys.executable, __file__, "--one", str(path), "--variant", variant]
    if seed is not None:
        args += ["--seed", str(seed)]
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"notebook": _rel(path), "seed": seed, "variant": variant,
                "committed_seed": seed is None, "numbers": {}, "seconds": None,
                "errors": [f"runner crashed: {proc.stderr.strip()[-400:]}"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def plan(notebooks, seeds, variants, committed_variants=None) -> list[tuple[pathlib.Path, int | None, str]]:
    """Every (notebook, seed, variant) to run: the committed seed under each of ``committed_variants``
    (default: ``variants``), then each seed under each variant."""
    runs = []
    for path in notebooks:
        has_seed = committed_seed(json.loads(path.read_text())) is not None
        runs += [(path, None, v) for v in (variants if committed_variants is None else committed_variants)]
        if has_seed:
            runs += [(path, s, v) for s in seeds for v in variants]
    return runs


# --- the report --------------------------------------------------------------------------------

def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo where there is one); `make bench` uses it too."""
    try:
        return next(ln.split(":", 1)[1].strip() for ln in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def machine() -> str:
    return f"{cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def summary(results: dict) -> dict[str, dict[str, dict]]:
    """Per notebook and key number: label, min, max, and the committed seed's default-kernel value."""
    out = {}
    for nb, entry in results["notebooks"].items():
        rows = {}
        for name, spec in entry["key_numbers"].items():
            values = [r["numbers"][name] for r in entry["runs"] if name in r["numbers"]]
            stored = next((r["numbers"].get(name) for r in entry["runs"]
                           if r["committed_seed"] and r["variant"] == "default"), None)
            rows[name] = {"label": spec["label"], "min": min(values), "max": max(values), "stored": stored,
                          "runs": len(values)}
        out[nb] = rows
    return out


def fmt(v: float | None) -> str:
    if v is None:
        return "–"
    if v == 0 or 1e-3 <= abs(v) < 1e4:
        return f"{v:.4g}"
    return f"{v:.2e}"


def render(results: dict) -> str:
    """The book page: per notebook, each key number's range over every run and the value of every run."""
    lines = [
        "# How robust is each result",
        "",
        "Every claim of this book is an `assert` in a cell. A claim that held for one seed on one CPU",
        "could still be an accident of that seed or of that CPU's float round-off, so `make robustness`",
        "re-executes every notebook under other seeds and other CPU kernels, and fails if any `assert`",
        "fails. The kernel variants stand in for another machine: **onednn** switches TensorFlow's oneDNN",
        "kernels on (`TF_ENABLE_ONEDNN_OPTS=1`: other kernels, other round-off) and **1thread** runs on",
        "one thread (another order of summation). At the committed seed, every variant must also print",
        "exactly the committed output in each strictly compared cell.",
        "",
        "The tables list each chapter's key numbers: their range over all runs, the committed seed's",
        "value with the default kernels, and every run. A range quoted in a chapter next to \"seeds\"",
        "comes from here (a test keeps them in step). On another CPU the exact numbers differ; the",
        "chapters' claims are the asserted bounds, which every run below met.",
        "",
        f"Runs: {results['runs_total']} notebook executions, all passed, on "
        f"{'; '.join(sorted({e['machine'] for e in results['notebooks'].values()}))}; "
        f"TensorFlow {results['tensorflow']}, Keras {results['keras']}; "
        f"{', '.join(sorted({e['date'] for e in results['notebooks'].values()}))}. "
        "Each section says which machine, seeds and kernel variants its notebook ran under.",
        "",
    ]
    table = summary(results)
    for nb, entry in results["notebooks"].items():
        lines += [f"## {entry['title']}", "", f"Source: {{doc}}`/{nb.removesuffix('.ipynb')}`. "
                  f"Machine: {entry['machine']}, {entry['date']}. "
                  f"Runs: the committed seed with {_words(entry['committed_variants'])} kernels"
                  + (f"; seeds {', '.join(map(str, entry['seeds']))} with {_words(entry['variants'])} kernels"
                     if entry["seeds"] else "")
                  + f". Execution time per run, on a machine shared with other runs: "
                  f"{fmt(min(r['seconds'] for r in entry['runs']))}–{fmt(max(r['seconds'] for r in entry['runs']))} s.",
                  ""]
        if not entry["key_numbers"]:
            lines += ["This page has no key numbers; its asserts held in every run.", ""]
            continue
        lines += ["| key number | committed seed, default kernels | min | max |", "|---|---|---|---|"]
        for name, row in table[nb].items():
            lines.append(f"| {row['label']} (`{name}`) | {fmt(row['stored'])} | {fmt(row['min'])} | {fmt(row['max'])} |")
        lines.append("")
        names = list(entry["key_numbers"])
        lines += ["| seed | kernels | " + " | ".join(f"`{n}`" for n in names) + " |",
                  "|---|---|" + "---|" * len(names)]
        for r in entry["runs"]:
            seed = f"{r['seed']} (committed)" if r["committed_seed"] else str(r["seed"])
            lines.append(f"| {seed} | {r['variant']} | " + " | ".join(fmt(r["numbers"].get(n)) for n in names) + " |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _words(variants) -> str:
    return ", ".join(variants[:-1]) + (" and " if len(variants) > 1 else "") + variants[-1]


def title_of(path: pathlib.Path) -> str:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if m:
                return m.group(1).strip()
    return path.stem


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=pathlib.Path)
    ap.add_argument("--seeds", nargs="*", type=int, default=[1, 2, 3, 4])
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    ap.add_argument("--committed-variants", nargs="*", choices=list(VARIANTS),
                    help="variants for the committed seed (default: --variants)")
    ap.add_argument("--out", type=pathlib.Path, default=RESULTS)
    ap.add_argument("--jobs", type=int, default=1, help="runs at once (the machine has 2 cores: keep 1 for timings)")
    ap.add_argument("--render", action="store_true", help="only rewrite the book page from results/robustness.json")
    ap.add_argument("--one", type=pathlib.Path, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--variant", default="default", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        print(json.dumps(run_one(args.one.resolve(), args.seed, args.variant)))
        return 0
    if args.render:
        PAGE.write_text(render(json.loads(RESULTS.read_text())))
        print(f"wrote {PAGE.relative_to(ROOT)}")
        return 0

    import keras
    import tensorflow as tf

    notebooks = [p.resolve() for p in args.notebooks] or toc_notebooks()
    runs = plan(notebooks, args.seeds, args.variants, args.committed_variants)
    print(f"robustness: {len(runs)} runs of {len(notebooks)} notebooks, {args.jobs} at a time", flush=True)
    header = {"machine": machine(), "tensorflow": tf.__version__, "keras": keras.__version__,
              "date": datetime.date.today().isoformat(), "seeds": args.seeds, "variants": args.variants}
    entries = {}
    for path in notebooks:
        nb = json.loads(path.read_text())
        entries[_rel(path)] = {"title": title_of(path), "key_numbers": key_numbers(nb),
                               "code": fingerprint(nb)["code"], **header,
                               "seeds": args.seeds if committed_seed(nb) is not None else [],
                               "committed_variants": args.committed_variants or args.variants, "runs": []}
    failures = []
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(_run_in_subprocess, *run) for run in runs]
        for fut in futures:
            r = fut.result()
            entries[r["notebook"]]["runs"].append(r)
            status = "FAIL" if r["errors"] else "ok"
            seed = "committed" if r["committed_seed"] else r["seed"]
            print(f"  {status:4s} {r['notebook']} seed={seed} {r['variant']:8s} {r['seconds']} s "
                  + " ".join(f"{k}={v:.4g}" for k, v in r["numbers"].items()), flush=True)
            failures += [f"{r['notebook']} seed={seed} {r['variant']}: {e}" for e in r["errors"]]
    total = time.perf_counter() - start
    out = args.out
    if failures and out.resolve() == RESULTS.resolve():
        out = ROOT / "_build" / "robustness-failed.json"  # the committed results keep only passing runs
    results = {**header, "notebooks": entries}
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = open(out.parent / ".robustness.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent `make robustness NB=...` runs merge one after the other
    if out.resolve() == RESULTS.resolve() and RESULTS.exists():
        # Notebooks run now replace their entries; the others keep theirs (make robustness NB by NB).
        # Each entry records its own plan (seeds, variants); the file's header keeps the first run's.
        old = json.loads(RESULTS.read_text())
        current = {_rel(p) for p in toc_notebooks()}
        results = {**old, "notebooks": {**{k: v for k, v in old["notebooks"].items() if k in current}, **entries}}
    order = [_rel(p) for p in toc_notebooks()]
    results["notebooks"] = dict(sorted(results["notebooks"].items(),
                                       key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    results["runs_total"] = sum(len(e["runs"]) for e in results["notebooks"].values())
    out.write_text(json.dumps(results, indent=1) + "\n")
    if out.resolve() == RESULTS.resolve() and not failures:
        PAGE.write_text(render(results))
    lock.close()
    print(f"robustness: {len(runs) - len({f.split(':')[0] for f in failures})} of {len(runs)} runs passed "
          f"in {total:.0f} s; results in {out}")
    if failures:
        print("\n".join(["FAILURES:"] + failures))
        return 1
    if out.resolve() == RESULTS.resolve():
        print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
