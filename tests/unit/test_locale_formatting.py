"""Numbers, percentages and dates as each language writes them, in Latin digits.

Every number put into a translated message is written the page's way too, while
the plural form is still chosen from the number itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from litestar import Request

from consult.i18n import (
    format_date_time,
    format_long_date,
    format_number,
    format_percentage,
    format_short_date,
)
from consult.settings import get_settings
from consult.templating import make_environment

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("en", "1,234,567"),
        ("is", "1.234.567"),
        ("fi", f"1{NBSP}234{NBSP}567"),
        ("sv", f"1{NBSP}234{NBSP}567"),
        ("pl", f"1{NBSP}234{NBSP}567"),
        # Latin digits in Arabic and Farsi too (Farsi's own default would be ۱٬۲۳۴٬۵۶۷):
        # residents type these digits into the number boxes.
        ("ar", "1,234,567"),
        ("fa", "1,234,567"),
    ],
)
def test_a_large_number_in_each_language(locale: str, written: str):
    assert format_number(1234567, locale) == written


def test_a_decimal_keeps_its_language_s_separator():
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(1234.5, "is") == "1.234,5"
    assert format_number(1234.5, "fi") == f"1{NBSP}234,5"


def test_percentages_from_0_to_100_and_from_fractions():
    assert format_percentage(34.4, "en") == "34%"
    assert format_percentage(34.4, "fi") == f"34{NBSP}%"
    assert format_percentage(0.344, "sv", fraction=True) == f"34{NBSP}%"
    # The lower end of a range has no sign of its own: "25–59 %".
    assert format_percentage(0.25, "fi", fraction=True, sign=False) == "25"
    assert format_percentage(None, "en") == ""
    assert all(character.isascii() for character in format_percentage(55, "ar"))


def test_dates_in_each_language():
    day = date(2026, 12, 4)
    assert format_long_date(day, "en") == "December 4, 2026"
    assert format_long_date(day, "is") == "4. desember 2026"
    assert format_long_date(day, "fi") == "4. joulukuuta 2026"
    assert format_long_date(day, "ar") == "4 ديسمبر 2026"
    # A short date names its month, so no reader takes 4 December for 12 April.
    assert format_short_date(day, "en") == "Dec 4, 2026"
    assert format_short_date(day, "sv") == "4 dec. 2026"


def test_a_moment_is_shown_in_the_service_s_time_zone():
    helsinki = ZoneInfo("Europe/Helsinki")
    moment = datetime(2026, 12, 4, 14, 5, tzinfo=UTC)
    assert format_date_time(moment, "fi", helsinki) == "4.12.2026 16.05"
    assert format_date_time(moment, "en", helsinki) == "Dec 4, 2026, 4:05\u202fPM"
    # SQLite hands back times without a zone: they are UTC.
    assert format_date_time(moment.replace(tzinfo=None), "sv", helsinki) == "4 dec. 2026 16:05"


def _render(source: str, locale: str, **context: object) -> str:
    """`source` rendered as a page for a request in `locale` (?lang=)."""
    request: Request[object, object, object] = Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": f"lang={locale}".encode(),
            "headers": [],
        }  # type: ignore[arg-type]
    )
    return make_environment().from_string(source).render(request=request, **context)


# Messages no catalogue has (they are not in the app), so each reads as written
# whatever the catalogues say by now: what is checked is how the number is put in.


def test_a_number_in_a_translated_message_is_written_the_page_s_way():
    source = '{{ _("Test rows: %(n)s", n=n) }}'
    assert _render(source, "en", n=1234567) == "Test rows: 1,234,567"
    assert _render(source, "fi", n=1234567) == f"Test rows: 1{NBSP}234{NBSP}567"
    assert _render(source, "fi", n=0.5) == "Test rows: 0,5"


def test_a_plural_is_chosen_from_the_number_and_the_number_written_the_page_s_way():
    source = '{{ ngettext("%(num)s test row", "%(num)s test rows", n) }}'
    assert _render(source, "en", n=1) == "1 test row"
    assert _render(source, "en", n=1000) == "1,000 test rows"
    assert _render(source, "fi", n=1000) == f"1{NBSP}000 test rows"
    trans = (
        "{% trans count=n %}{{ count }} test theme"
        "{% pluralize %}{{ count }} test themes{% endtrans %}"
    )
    assert _render(trans, "is", n=1234) == "1.234 test themes"


def test_other_variables_are_left_as_they_are_and_still_escaped():
    assert _render('{{ _("Test open: %(open)s", open=yes) }}', "fi", yes=True) == (
        "Test open: True"
    )
    assert _render('{{ _("Test code %(code)s", code="0012") }}', "fi") == "Test code 0012"
    assert _render('{{ _("Test title: %(t)s", t=t) }}', "en", t="<b>") == "Test title: &lt;b&gt;"
    assert _render('{{ _("Share (95%% interval)") }}', "en") == "Share (95% interval)"


def test_the_filters():
    assert _render("{{ n|number }}", "is", n=1234567) == "1.234.567"
    assert _render("{{ p|percent }}", "fi", p=55.0) == f"55{NBSP}%"
    assert _render("{{ p|percent(fraction=True) }}", "en", p=0.25) == "25%"
    assert _render("{{ d|long_date }}", "sv", d=date(2026, 12, 4)) == "4 december 2026"
    assert _render("{{ d|short_date }}", "pl", d=date(2026, 12, 4)) == "4 gru 2026"
    assert _render("{{ none|number }}{{ none|long_date }}", "en") == ""


def test_a_variable_may_have_any_name():
    assert _render('{{ _("Test %(message)s: %(number)s", message="sent", number=3) }}', "en") == (
        "Test sent: 3"
    )
    assert _render('{{ ngettext("%(plural)s", "%(plural)s", 2, plural="x") }}', "en") == "x"


def test_a_moment_s_day_is_the_service_s_day():
    # 23:30 UTC on 4 December is already 5 December in Helsinki.
    late = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONSULT_TIMEZONE", "Europe/Helsinki")
        get_settings.cache_clear()
        try:
            assert _render("{{ m|long_date }}", "en", m=late) == "December 5, 2026"
            assert _render("{{ m|date_time }}", "fi", m=late) == "5.12.2026 1.30"
        finally:
            get_settings.cache_clear()
