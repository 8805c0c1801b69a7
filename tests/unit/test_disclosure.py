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


def _recoverable(cells, shown, k):
    """Hidden cells an attacker can work out from the shown cells and the row and
    column totals (taken as known), by repeatedly solving lines with one unknown."""
    rows = {r for r, _ in cells}
    cols = {c for _, c in cells}
    known = {key: value for key, value in shown.items() if value is not None}
    found = True
    while found:
        found = False
        row_lines = [[(r, c) for c in cols] for r in rows]
        col_lines = [[(r, c) for r in rows] for c in cols]
        for lines in (row_lines, col_lines):
            for line in lines:
                unknown = [key for key in line if key not in known]
                if len(unknown) == 1:
                    known[unknown[0]] = sum(cells[key] for key in line) - sum(
                        known[key] for key in line if key != unknown[0]
                    )
                    found = True
    return {key for key in cells if shown[key] is None and key in known and 0 < cells[key] < k}


def test_a_cross_tab_hides_small_cells_and_their_complements():
    from analysis.disclosure import suppress_table

    cells = {
        ("safe", "north"): 20,
        ("safe", "south"): 3,
        ("safe", "east"): 14,
        ("unsafe", "north"): 9,
        ("unsafe", "south"): 11,
        ("unsafe", "east"): 6,
    }
    shown = suppress_table(cells, 5)
    assert shown[("safe", "south")] is None
    for line in (
        [k for k in cells if k[0] == "safe"],
        [k for k in cells if k[1] == "south"],
    ):
        assert sum(shown[k] is None for k in line) >= 2
    assert not _recoverable(cells, shown, 5)


def test_no_small_cell_of_a_random_table_can_be_recovered_from_its_totals():
    import random

    from analysis.disclosure import suppress_table

    rng = random.Random(7)
    for _ in range(300):
        rows, cols = rng.randint(2, 5), rng.randint(2, 5)
        cells = {
            (r, c): rng.choice([0, 0, 1, 2, 3, 4, 6, 8, 12, 30])
            for r in range(rows)
            for c in range(cols)
        }
        shown = suppress_table(cells, 5)
        assert all(shown[key] is None for key, v in cells.items() if 0 < v < 5)
        assert not _recoverable(cells, shown, 5), cells
