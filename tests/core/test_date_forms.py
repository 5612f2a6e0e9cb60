"""The date of the attract band's clock in the forms a narrow room takes (kiosk.core.i18n)."""

from __future__ import annotations

import datetime as dt

from kiosk.core.i18n import date_forms


def test_a_date_comes_longest_first_then_without_weekday_then_without_year() -> None:
    day = dt.date(2026, 12, 7)
    assert date_forms(day, "ru") == ("понедельник, 7 декабря 2026", "7 декабря 2026",
                                     "7 декабря")
    assert date_forms(day, "en") == ("Monday, 7 December 2026", "7 December 2026",
                                     "7 December")
