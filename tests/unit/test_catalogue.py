"""Every user-facing string is in the translation catalogue (run `make messages`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT


def _ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {
            str(message.id) if isinstance(message.id, str) else str(message.id[0])
            for message in read_po(handle)
            if message.id
        }


def test_the_committed_catalogue_is_current(tmp_path):
    extracted = tmp_path / "now.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(extracted),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = _ids(ROOT / "consult" / "locale" / "messages.pot")
    missing = _ids(extracted) - committed
    assert not missing, f"run `make messages`; not in the catalogue: {sorted(missing)[:10]}"
    assert "Select an answer." in committed


SHIPPED = ("en", "is", "fi", "sv", "nb", "da", "ar", "fa", "so", "pl", "uk")


def test_every_shipped_language_has_a_catalogue():
    from consult.i18n import available_locales

    assert set(available_locales()) == set(SHIPPED)


@pytest.mark.parametrize("locale", [code for code in SHIPPED if code != "en"])
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    """English is the source language: its messages are their own translation."""
    path = ROOT / "consult" / "locale" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    template = _ids(ROOT / "consult" / "locale" / "messages.pot")
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        plural = isinstance(message.id, tuple | list)
        if (plural and len(strings) < catalog.num_plurals) or not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{locale}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    missing = template - {str(m.id) if isinstance(m.id, str) else str(m.id[0]) for m in catalog}
    assert not missing, (
        f"{locale}: run `make messages`; not in the catalogue: {sorted(missing)[:5]}"
    )
