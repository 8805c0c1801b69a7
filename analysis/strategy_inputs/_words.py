"""Every word the strategy-input export writes itself, marked for translation and
translated for the export's locale (consult.i18n.translations: no request needed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from analysis.disclosure import SPECIAL_CATEGORY_K
from exports.model import Labels

Gettext = Callable[[str], str]


def labels(_: Gettext) -> Labels:
    """The workbook's own words in the translator's language."""
    return Labels(
        cover_sheet=_("About this export"),
        indicators_sheet=_("Indicators"),
        question_sheet=_("Q"),
        cross_tabs_sheet=_("Cross-tabs"),
        themes_sheet=_("Themes"),
        findings_sheet=_("Findings and action plan"),
        partners_sheet=_("Partners"),
        dictionary_sheet=_("Data dictionary"),
        responses_sheet=_("Responses"),
        not_shown=_("not shown"),
        count=_("Count"),
        share=_("Share of those who answered"),
        answered=_("Answered"),
        question=_("Question"),
        option=_("Answer"),
        segment=_("Breakdown"),
        group=_("Group"),
        consultation=_("Consultation"),
        city=_("City"),
        run_by=_("Run by"),
        purpose=_("Purpose"),
        survey=_("Survey"),
        opens=_("Opens"),
        closes=_("Closes"),
        exported=_("Exported"),
        responses=_("Responses"),
        channels=_("How they answered"),
        languages=_("Languages they answered in"),
        organisations=_("Organisations taking part"),
        caveats=_("How to read these figures"),
        suppression=_("Small groups"),
        k=_("Smallest group shown"),
        indicator=_("Indicator"),
        counts_as=_("What counts"),
        overall=_("Everyone"),
        # "95% i..." reads to gettext as a %i placeholder: the per cent sign is
        # written %% and formatted away, so that no translation has to keep "% i".
        low=_("95%% interval, low") % {},
        high=_("95%% interval, high") % {},
        type=_("Type"),
        statement=_("Statement"),
        theme=_("Theme"),
        description=_("Description"),
        sentiment=_("Mean sentiment (-1 to 1)"),
        quotes=_("Quotes"),
        title=_("Title"),
        finding=_("Finding"),
        strategy_area=_("Strategy area"),
        priority=_("Priority"),
        status=_("Status"),
        proposed_action=_("Proposed action"),
        owner=_("Owner"),
        partners=_("Partners"),
        timeline=_("Timeline"),
        evidence=_("Evidence"),
        organisation=_("Organisation"),
        kind=_("Kind"),
        sessions=_("Sessions"),
        groups_reached=_("Groups reached"),
        findings=_("Findings"),
        column=_("Column"),
        coding=_("Values and coding"),
        text_language=_("Text language"),
        quote_languages=_("Languages of the quotes"),
    )


def response_columns(_: Gettext) -> tuple[str, ...]:
    """The headings of the columns every response row begins with."""
    return (_("Response"), _("Submitted (hour)"), _("Channel"), _("Language"))


def suppression_rule(_: Gettext, k: int) -> str:
    return _(
        "To protect small groups, counts below %(k)s are not shown (below %(special)s for "
        "questions on special categories of personal data), and neither is any count that "
        "would reveal one."
    ) % {"k": k, "special": max(k, SPECIAL_CATEGORY_K)}


def caveats(_: Gettext) -> tuple[str, ...]:
    return (
        _(
            "People chose to answer: the responses are not a random sample of residents, "
            "so a share describes those who answered, not the whole city."
        ),
        _(
            "Sessions hosted by organisations reach the people those organisations work "
            "with; groups that were reached less are less well described."
        ),
        _(
            "The 95%% intervals of the indicators assume a random sample, which this is "
            "not: read them as a guide to how precise a share is, not as a guarantee."
        )
        % {},
        _(
            "Free text in this export has personal data replaced (email addresses, links, "
            "phone numbers, identity numbers, street addresses); quotes are only those a "
            "planner approved."
        ),
        _("Sentiment is measured for answers in English only."),
    )


def text_language(
    _: Gettext, language: str, main: str, untranslated: Sequence[str], whole: bool
) -> str:
    """Which language a question's texts are in, for the data dictionary: the
    reporting language, or the main one for the texts not yet translated
    (`untranslated`, as the main language has them; `whole`: every one of them)."""
    if not untranslated:
        return language
    if whole:
        return _("%(main)s: not translated into %(language)s") % {
            "main": main,
            "language": language,
        }
    return _("%(language)s; not translated, so in %(main)s: %(texts)s") % {
        "language": language,
        "main": main,
        "texts": "; ".join(f"“{text}”" for text in untranslated),
    }


def untranslated_note(_: Gettext, language: str, main: str, count: int) -> str:
    """The cover's word on texts shown in the main language (none: nothing to say)."""
    if not count:
        return ""
    return _(
        "Not translated into %(language)s, so shown in %(main)s: %(count)s of the texts "
        "(the data dictionary says which)."
    ) % {"language": language, "main": main, "count": count}
