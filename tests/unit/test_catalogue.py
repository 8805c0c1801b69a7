"""Every user-facing string is in the translation catalogue (run `make messages`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
