"""Question-answering benchmark: accuracy, abstention, latency, build time, cold start, memory.

    python bench/qa.py                 # mecab (shipped) vs plain whitespace BM25, + kiwi if installed
    python bench/qa.py --sets dev own  # choose question sets

Question sets (JSON lines, schema of ../shared/dev-questions.jsonl):
  dev      ../shared/dev-questions.jsonl (given)
  own      bench/questions-own.jsonl      (our development set; the data was tuned on dev + own)
  holdout  bench/questions-holdout.jsonl  (written independently and never tuned on)

In-domain accuracy: the answer is not an abstention, contains every `expect_all`, one of `expect_any`,
none of `forbid_any`. Out-of-domain abstention: the bot abstained (fallback, scope message or an
honest "not in the material" entry) and said nothing in `forbid_any`.
Each configuration runs in its own subprocess so memory figures are not mixed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SETS = {
    "dev": ROOT.parent / "shared" / "dev-questions.jsonl",
    "own": ROOT / "bench" / "questions-own.jsonl",
    "holdout": ROOT / "bench" / "questions-holdout.jsonl",
}
NOW = "2026-11-30T10:00:00+09:00"  # fixed "today" so D-day answers are reproducible


def load_questions(names: list[str]) -> list[dict]:
    out = []
    for name in names:
        path = SETS[name]
        if not path.exists():
            print(f"(skipping {name}: {path} not found)", file=sys.stderr)
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                q["set"] = name
                out.append(q)
    return out


def judge(q: dict, text: str, abstained: bool) -> bool:
    if any(f in text for f in q.get("forbid_any", [])):
        return False
    if q["kind"] == "out":
        return abstained
    if abstained:
        return False
    if not all(e in text for e in q.get("expect_all", [])):
        return False
    return not q.get("expect_any") or any(e in text for e in q["expect_any"])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- workers (run in subprocesses) --------------------------------------------------------------------
def worker_bot(analyzer: str, names: list[str]) -> dict:
    import logging

    logging.disable(logging.WARNING)
    from bot.config import TZ, load_settings
    from bot.core import Core
    from bot.korean import make_backend

    t0 = time.perf_counter()
    backend = make_backend(analyzer)
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_PATH"] = str(Path(tmp) / "bench.db")
        t1 = time.perf_counter()
        core = Core(load_settings(), backend=backend)
        startup_s = time.perf_counter() - t1
        build_s = core.content_manager.index.build_seconds
        now = datetime.fromisoformat(NOW).astimezone(TZ)
        questions = load_questions(names)
        core.answer("워밍업", now)
        results, latencies = [], []
        for q in questions:
            t = time.perf_counter()
            a = core.answer(q["q"], now)
            latencies.append((time.perf_counter() - t) * 1000)
            d = a.as_dict(q["q"])
            results.append({"id": q["id"], "set": q["set"], "kind": q["kind"],
                            "ok": judge(q, d["answer"], d["abstained"]), "entry": d["entry_id"],
                            "abstained": d["abstained"]})
        core.close()
    return {"name": f"{analyzer} (shipped)" if analyzer == "mecab" else analyzer, "analyzer_load_s": load_s,
            "startup_s": startup_s, "build_s": build_s, "latencies_ms": latencies, "results": results,
            "peak_rss_mb": peak_rss_mb()}


def worker_baseline(names: list[str]) -> dict:
    """Plain BM25 over whitespace tokens of the same FAQ entries (question, alternates, keywords)."""
    import bm25s
    import numpy as np

    from bot.answer import plain_text, render_entry
    from bot.config import TZ
    from bot.program import load_files

    t0 = time.perf_counter()
    content = load_files(ROOT / "data")
    docs, keys = [], []
    for e in content.faq:
        docs.append(" ".join([e.question, *e.alternates, *e.keywords]).lower().split())
        keys.append(e)
    for c in content.challenges:
        docs.append(" ".join([c.company, *c.aliases, c.title, c.summary, *c.keywords]).lower().split())
        keys.append(c)
    retriever = bm25s.BM25()
    retriever.index(docs, show_progress=False)
    vocab = retriever.vocab_dict
    build_s = time.perf_counter() - t0
    now = datetime.fromisoformat(NOW).astimezone(TZ)
    results, latencies = [], []
    for q in load_questions(names):
        t = time.perf_counter()
        tokens = [w for w in q["q"].lower().split() if w in vocab]
        if tokens:
            scores = retriever.get_scores(tokens)
            best = int(np.argmax(scores))
            top = float(scores[best])
        else:
            best, top = -1, 0.0
        if top <= 0:
            text, abstained, entry = "모르겠습니다", True, None
        else:
            item = keys[best]
            if hasattr(item, "answer"):
                text, entry = plain_text(render_entry(item, content, now)), item.id
            else:
                text, entry = f"{item.company} {item.title} {item.summary}", item.id
            abstained = False
        latencies.append((time.perf_counter() - t) * 1000)
        results.append({"id": q["id"], "set": q["set"], "kind": q["kind"], "ok": judge(q, text, abstained),
                        "entry": entry, "abstained": abstained})
    return {"name": "whitespace BM25", "analyzer_load_s": 0.0, "startup_s": build_s, "build_s": build_s,
            "latencies_ms": latencies, "results": results, "peak_rss_mb": peak_rss_mb()}


# -- driver --------------------------------------------------------------------------------------------------
def run_worker(args: list[str]) -> dict | None:
    proc = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    if proc.returncode != 0:
        print(f"worker {args} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def cold_start(runs: int = 3) -> tuple[float, float]:
    """Wall time of `python -m bot ask "..."` on a fresh database: process start to first answer."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_PATH": str(Path(tmp) / "cold.db"), "BOT_ENV_FILE": "/nonexistent"}
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bot", "ask", "마감 언제예요"], cwd=ROOT, env=env,
                           capture_output=True, check=True, timeout=120)
            times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summarize(run: dict, sets: list[str]) -> dict:
    res = run["results"]
    row = {"name": run["name"]}
    for s in [*sets, "all"]:
        chosen = [r for r in res if s == "all" or r["set"] == s]
        ins = [r for r in chosen if r["kind"] == "in"]
        outs = [r for r in chosen if r["kind"] == "out"]
        row[s] = (sum(r["ok"] for r in ins), len(ins), sum(r["ok"] for r in outs), len(outs))
    lat = run["latencies_ms"]
    row["p50"], row["p99"], row["max"] = pct(lat, 50), pct(lat, 99), max(lat)
    row["build_s"], row["rss"] = run["build_s"], run["peak_rss_mb"]
    row["analyzer_load_s"] = run["analyzer_load_s"]
    return row


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="+", default=["dev", "own", "holdout"], choices=list(SETS))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--analyzer", default="mecab")
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--failures", action="store_true", help="list the questions the shipped bot gets wrong")
    args = parser.parse_args()
    if args.worker:
        out = worker_baseline(args.sets) if args.baseline else worker_bot(args.analyzer, args.sets)
        print(json.dumps(out, ensure_ascii=False))
        return 0

    sets = [s for s in args.sets if SETS[s].exists()]
    runs = [run_worker(["--analyzer", "mecab", "--sets", *sets]), run_worker(["--baseline", "--sets", *sets])]
    try:
        import kiwipiepy  # noqa: F401

        runs.append(run_worker(["--analyzer", "kiwi", "--sets", *sets]))
    except ImportError:
        print("(kiwipiepy not installed: `pip install -e '.[bench]'` to compare it)", file=sys.stderr)
    runs = [r for r in runs if r]
    rows = [summarize(r, sets) for r in runs]
    cold_median, cold_max = cold_start()

    print(f"\nQuestion answering ({', '.join(sets)}; 'today' fixed at {NOW})\n")
    header = f"{'configuration':<18}" + "".join(f"{s + ' in / out':>24}" for s in [*sets, "all"])
    print(header)
    for row in rows:
        cells = ""
        for s in [*sets, "all"]:
            ok_in, n_in, ok_out, n_out = row[s]
            cells += f"{f'{100 * ok_in / max(1, n_in):5.1f}% / {100 * ok_out / max(1, n_out):5.1f}%':>24}"
        print(f"{row['name']:<18}{cells}")
    print("\n(in = in-domain accuracy, out = out-of-domain abstention)\n")
    print(f"{'configuration':<18}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'index build s':>15}"
          f"{'analyzer load s':>17}{'peak RSS MB':>13}")
    for row in rows:
        print(f"{row['name']:<18}{row['p50']:9.2f}{row['p99']:9.2f}{row['max']:9.2f}{row['build_s']:15.3f}"
              f"{row['analyzer_load_s']:17.3f}{row['rss']:13.1f}")
    print(f"\ncold start (`python -m bot ask` on a fresh database, process start to answer): "
          f"median {cold_median:.2f} s, max {cold_max:.2f} s")
    counts = {s: sum(1 for r in runs[0]["results"] if r["set"] == s) for s in sets}
    print("questions: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    if args.failures:
        questions = {q["id"]: q for q in load_questions(sets)}
        print("\nshipped bot, wrong answers:")
        for r in runs[0]["results"]:
            if not r["ok"]:
                print(f"  {r['id']:<14} {r['kind']:<3} entry={r['entry']} abstained={r['abstained']}  "
                      f"{questions[r['id']]['q']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
