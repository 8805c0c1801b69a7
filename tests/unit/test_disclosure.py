"""No count below k is shown, nor one that would reveal it."""

from analysis.disclosure import suppress, threshold, total_is_safe


def test_small_cells_are_hidden_and_zero_is_shown():
    assert suppress({"a": 12, "b": 3, "c": 0, "d": 7}, 5) == {"a": 12, "b": None, "c": 0, "d": None}


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    shown = suppress({"a": 40, "b": 2, "c": 9}, 5)
    assert shown == {"a": 40, "b": None, "c": None}


def test_two_hidden_cells_need_no_complement():
    assert suppress({"a": 40, "b": 2, "c": 1}, 5) == {"a": 40, "b": None, "c": None}


def test_special_category_questions_use_at_least_ten():
    assert threshold(5, special_category=True) == 10
    assert threshold(5, special_category=False) == 5
    assert suppress({"a": 9, "b": 30, "c": 12}, threshold(5, True))["a"] is None


def test_totals():
    assert total_is_safe(0, 5)
    assert not total_is_safe(4, 5)
    assert total_is_safe(5, 5)
