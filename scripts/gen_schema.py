"""Regenerate docs/session.schema.json from the data model (a test checks it is current).

Usage: .venv/bin/python scripts/gen_schema.py
"""

from __future__ import annotations

import json
from pathlib import Path

from sessionscope.model import json_schema

if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "docs" / "session.schema.json"
    target.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
