"""How much the learned kind check (bot/kinds.py) changes, measured without its own examples: the tuned
question sets are split into folds of whole sets; for each fold the kind model is fitted on the other
folds' examples only, and the fold's questions are answered with that model and without any (the same
answer pipeline otherwise). Prints, per kind of question, how many replies the check turned right and
wrong.

    python bench/kinds_cv.py            # 8 folds (about five minutes)
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import qa  # noqa: E402
from export_kinds import teaches  # noqa: E402

from bot.intents import IntentModel  # noqa: E402
from bot.kinds import KindModel, features  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=8)
    ap.add_argument("--sure", type=float, help="the probability the check needs (default: bot.answer.KIND_SURE)")
    args = ap.parse_args()
    if args.sure is not None:
        import bot.answer

        bot.answer.KIND_SURE = args.sure
    logging.disable(logging.WARNING)
    qa.hide_scipy()
    from bot.config import TZ, load_settings
    from bot.core import Core

    questions = qa.load_questions(list(qa.TUNED))
    fold_of = {name: i % args.folds for i, name in enumerate(qa.TUNED)}
    now = datetime.fromisoformat(qa.NOW).astimezone(TZ)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_PATH"] = str(Path(tmp) / "cv.db")
        core = Core(load_settings())
        answerer = core.answerer
        won, lost, total = Counter(), Counter(), Counter()
        for fold in range(args.folds):
            train = [(q["q"], q["kind"]) for q in questions if fold_of[q["set"]] != fold and teaches(q)]
            model = KindModel(IntentModel.from_state(features, KindModel.fit(train, "cv")))
            for q in (q for q in questions if fold_of[q["set"]] == fold):
                answerer.kinds = None
                before = qa.judge(q, answerer.answer(q["q"], now).as_dict(q["q"]))
                answerer.kinds = model
                after = qa.judge(q, answerer.answer(q["q"], now).as_dict(q["q"]))
                total[q["kind"]] += 1
                won[q["kind"]] += after and not before
                lost[q["kind"]] += before and not after
            print(f"fold {fold + 1}/{args.folds} done", file=sys.stderr)
        core.close()
    print(f"learned kind check, {args.folds} folds of whole tuned sets ({sum(total.values())} questions):")
    for kind in qa.KINDS:
        print(f"  {kind:9s} {total[kind]:5d} questions: {won[kind]:3d} turned right, {lost[kind]:3d} turned wrong")
    print(f"  all       {sum(total.values()):5d} questions: {sum(won.values()):3d} turned right, "
          f"{sum(lost.values()):3d} turned wrong")


if __name__ == "__main__":
    main()
