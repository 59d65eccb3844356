"""Round 53: run a benchmark script with ``questions._continued_answers`` switched off — a question the asker goes on
asking in their next line ("Now do you factor this?" | "after you do that?") not answered by that line's reply — to
compare with the same script as shipped.

    nice -n 10 python benchmarks/r53_continued_off.py benchmarks/r52_two_person_acts.py --split heldout \\
        --out benchmarks/results/r53_continued_off_pairs_heldout.json
    nice -n 10 python benchmarks/r53_continued_off.py benchmarks/dialogue_acts_eval.py --only questions \\
        --split heldout --out benchmarks/results/r53_continued_off_questions_heldout.json
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

    questions._continued_answers = lambda events, ordered: list(events)
    runpy.run_path(script, run_name="__main__")
