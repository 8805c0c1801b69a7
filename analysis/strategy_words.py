"""The words for a finding's priority and status, an organisation's kind, a kind of
evidence and the default strategy areas: marked for translation once, for the
strategy pages, the report and the exports alike."""

from __future__ import annotations

from consult.i18n import N_
from consult.tables import DEFAULT_STRATEGY_AREAS, OrganisationKind

PRIORITY_LABELS = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
STATUS_LABELS = {
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
KIND_LABELS = {
    OrganisationKind.youth.value: N_("Youth organisation"),
    OrganisationKind.sports.value: N_("Sports club"),
    OrganisationKind.cultural.value: N_("Cultural association"),
    OrganisationKind.religious.value: N_("Religious community"),
    OrganisationKind.business.value: N_("Local business"),
    OrganisationKind.school.value: N_("School"),
    OrganisationKind.ngo.value: N_("NGO"),
    OrganisationKind.city_department.value: N_("City department"),
    OrganisationKind.other.value: N_("Other"),
}
EVIDENCE_LABELS = {
    "question": N_("Question result"),
    "cross_tab": N_("Cross-tab"),
    "theme": N_("Theme"),
    "quote": N_("Quote"),
    "indicator": N_("Indicator"),
}
# The default areas are translated where shown; a city's own areas are its words.
AREA_LABELS = dict(
    zip(
        DEFAULT_STRATEGY_AREAS,
        (
            N_("Knowledge and situational picture"),
            N_("Prevention and early intervention"),
            N_("Inclusion and social cohesion"),
            N_("Alliances and partnerships"),
            N_("Communication and shared understanding"),
        ),
        strict=True,
    )
)
