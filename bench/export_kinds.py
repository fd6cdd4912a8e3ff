"""Write data/question_kinds.jsonl, the examples of the question-kind model (bot/kinds.py), from the
development question sets: every tuned set of bench/qa.py (never the validation or sealed sets), and
data/question_kinds.npz, the model fitted on them (so the bot need not fit it when it starts).

    python bench/export_kinds.py                      # all tuned sets
    python bench/export_kinds.py --without dev38 dev39  # leave sets out (to measure the model on them)

The 'out' questions of dev, own and holdout are left out: those sets also filed questions the source does
not answer under 'out' (see bench/qa.py's judging notes), which would teach the wrong kind.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402

from bot.kinds import KindModel, read_examples  # noqa: E402

MIXED_OUT = ("dev", "own", "holdout")


def teaches(q: dict) -> bool:
    """Whether a question of the sets is an example for the kind model (not a mixed-up 'out')."""
    return not (q["kind"] == "out" and q["set"] in MIXED_OUT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--without", nargs="*", default=[], help="tuned sets to leave out")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "question_kinds.jsonl")
    args = ap.parse_args()
    unknown = set(args.without) - set(qa.TUNED)
    if unknown:
        sys.exit(f"not tuned sets: {', '.join(sorted(unknown))}")
    names = [s for s in qa.TUNED if s not in args.without]
    seen, rows = set(), []
    for q in qa.load_questions(names):
        if not teaches(q):
            continue
        text = q["q"].strip()
        if text in seen:
            continue
        seen.add(text)
        rows.append({"q": text, "kind": q["kind"], "from": q["set"]})
    raw = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    args.out.write_bytes(raw)
    model = args.out.with_suffix(".npz")
    KindModel.save(KindModel.fit(read_examples(args.out, raw), KindModel.key(raw)), model)
    print(f"{len(rows)} examples from {len(names)} sets -> {args.out}, fitted model -> {model}")


if __name__ == "__main__":
    main()
