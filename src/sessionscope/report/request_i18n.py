"""UI strings (EN/RU) of round 22's request items: a request for the speaker's own learning or help.

Kept apart from :mod:`sessionscope.report.i18n` (the lead's file) until merged into it; :func:`rt` falls back
to English.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "request_group": "Requests to be shown, told or sent something (listed, not counted as advice)",
}
RU: dict[str, str] = {
    "request_group": "Просьбы показать, рассказать или прислать (перечислено, но не учитывается как совет)",
}
TABLES = {"en": EN, "ru": RU}


def rt(lang: str, key: str) -> str:
    """The string ``key`` in UI language ``lang`` (English when that language has none)."""
    return TABLES.get(lang, EN).get(key) or EN[key]


__all__ = ["EN", "RU", "rt"]
