"""Retention: responses past their consultation's retention date are deleted, by
`consult purge` and once a day by every app process's background loop."""

from __future__ import annotations

from consult.background import BackgroundLoop


def purge_worker() -> BackgroundLoop | None:
    """The daily purge loop for an app process (None until retention is built)."""
    return None
