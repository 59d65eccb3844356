"""Round 53, measured and not shipped: the answer latency from the end of the asker's run for EVERY question, not only
for pre-questions (``questions.reply_window(after_asker=True)`` always on).

    nice -n 10 python benchmarks/r53_after_asker_all.py benchmarks/r52_two_person_acts.py --split heldout \\
        --out benchmarks/results/r53_after_asker_all_pairs_heldout.json
    nice -n 10 python benchmarks/r53_after_asker_all.py benchmarks/dialogue_acts_eval.py --only questions \\
        --split heldout --out benchmarks/results/r53_after_asker_all_questions_heldout.json

A question the asker goes on explaining ("How is your analysis to the noise? … so if it's a noisy call, and the
transcript is…", the Zoom class meeting) is answered after the asker's run as a pre-question is. Runs the given
script with :func:`~sessionscope.analysis.questions.pre_question` true for every sentence; compare with the same
script's stored result (``r52_two_person_acts_heldout.json``; the round-53 held-out questions run).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    script = sys.argv[1]
    sys.argv = [script, *sys.argv[2:]]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import sessionscope.analysis.questions as questions

    questions.pre_question = lambda sentence: True
    runpy.run_path(script, run_name="__main__")
