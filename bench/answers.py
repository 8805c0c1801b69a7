"""Varied answers, as a crowd of residents gives them: every type of question
answered in its own way, optional ones sometimes skipped, free text of realistic
lengths and never the same twice (bench.texts).

A page's form is filled from what the page shows (bench.form.read_form): radio
groups (single choice, scales, a matrix's rows), checkboxes (multiple choice,
with "Prefer not to say" ticked only on its own), a ranking's selects, numbers,
short and long text. If the app answers a varied page with an error (a rule the
form does not show, such as "up to 2"), the resident corrects it: the caller
sends the plain answers of bench.form.filled_in instead.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from bench.form import IDEMPOTENCY_FIELD, FormInput, HtmlForm, is_question_field
from bench.texts import FreeText

# Shares of residents who skip an optional question, and who write a long answer.
SKIP_OPTIONAL = 0.12
WRITES_LONG_TEXT = 0.6
WRITES_SHORT_TEXT = 0.7
# The most places a ranking is given (the demo's "Choose up to three").
MOST_RANKED = 3


@dataclass
class Filled:
    """A page's answers, and which fields got free text (name -> kind: "long",
    "phrase", "district"), so that a copy of the answers can be given new text."""

    pairs: list[tuple[str, str]]
    texts: dict[str, str] = field(default_factory=dict)


def _question_of(name: str) -> str:
    return name.split("-", 1)[0]


def _skewed(rng: random.Random, count: int) -> int:
    """An index leaning towards the first options, so that some cells are small."""
    return min(int(rng.expovariate(0.5)), count - 1)


def _choose(rng: random.Random, group: list[FormInput]) -> list[str]:
    if group[0].kind == "radio":
        return [group[_skewed(rng, len(group))].value]
    exclusive = [box for box in group if box.exclusive]
    plain = [box for box in group if not box.exclusive]
    if exclusive and (not plain or rng.random() < 0.05):
        return [exclusive[0].value]
    return [box.value for box in rng.sample(plain, rng.randint(1, min(3, len(plain))))]


def _rank(rng: random.Random, selects: list[FormInput]) -> list[tuple[str, str]]:
    """Places 1..k for k of the items, the others unranked."""
    places = min(len(selects), MOST_RANKED)
    chosen = rng.sample(selects, rng.randint(1, places))
    ranked = {box.name: str(place) for place, box in enumerate(chosen, start=1)}
    return [(box.name, ranked.get(box.name, "")) for box in selects]


def _text(rng: random.Random, texts: FreeText, control: FormInput, filled: Filled) -> str:
    if control.inputmode == "numeric":
        return str(min(int(rng.expovariate(1 / 9)), 80))
    if control.name.endswith("-other"):
        # Sent whatever was chosen (as a browser sends a box typed into); the app
        # stores it only beside "Something else".
        filled.texts[control.name] = "phrase"
        return texts.phrase()
    if control.kind == "textarea":
        if rng.random() >= WRITES_LONG_TEXT:
            return ""
        filled.texts[control.name] = "long"
        return texts.long()
    if rng.random() >= WRITES_SHORT_TEXT:
        return ""
    filled.texts[control.name] = "district"
    return texts.district()


def fill(form: HtmlForm, rng: random.Random, texts: FreeText) -> Filled:
    """One resident's answers to the page's questions, hidden fields as given (the
    idempotency key left to the caller), the honeypot left empty."""
    filled = Filled([])
    questions: dict[str, list[FormInput]] = defaultdict(list)
    for control in form.inputs:
        if control.name == IDEMPOTENCY_FIELD:
            continue
        if control.kind == "hidden":
            filled.pairs.append((control.name, control.value))
        elif not is_question_field(control.name):
            if control.kind in ("text", "textarea"):
                filled.pairs.append((control.name, ""))
        else:
            questions[_question_of(control.name)].append(control)
    # One question a page: its "(optional)" mark says it may be skipped.
    may_skip = len(questions) == 1 and form.optional_marks >= 1
    for controls in questions.values():
        if may_skip and rng.random() < SKIP_OPTIONAL:
            continue
        filled.pairs.extend(_answer(rng, texts, controls, filled))
    return filled


def _answer(
    rng: random.Random, texts: FreeText, controls: list[FormInput], filled: Filled
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    groups: dict[str, list[FormInput]] = defaultdict(list)
    for control in controls:
        if control.kind in ("radio", "checkbox"):
            groups[control.name].append(control)
    for name, group in groups.items():
        pairs.extend((name, value) for value in _choose(rng, group))
    rank_selects = [c for c in controls if c.kind == "select" and "-r" in c.name]
    if rank_selects:
        pairs.extend(_rank(rng, rank_selects))
    for control in controls:
        if control.kind == "select" and control not in rank_selects:
            values = [value for value in control.options if value]
            pairs.append((control.name, rng.choice(values) if values else ""))
        elif control.kind in ("text", "textarea"):
            pairs.append((control.name, _text(rng, texts, control, filled)))
    return pairs


def with_new_texts(
    pairs: list[tuple[str, str]], kinds: dict[str, str], texts: FreeText
) -> list[tuple[str, str]]:
    """A copy of a resident's answers whose free text is new (another resident's
    choices may match; their words do not)."""
    makers = {"long": texts.long, "phrase": texts.phrase, "district": texts.district}
    return [
        (name, makers[kinds[name]]() if name in kinds and value else value) for name, value in pairs
    ]
