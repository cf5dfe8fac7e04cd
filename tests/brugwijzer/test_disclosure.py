"""Disclosure control, proved against a reader who knows the rule and does the arithmetic.

The reader below is written independently of `brugwijzer.disclosure`: instead of the module's interval
reasoning it enumerates every set of hidden values that fits what is published, by dynamic
programming over the sums the other cells can make."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brugwijzer.disclosure import MINIMUM_K, breakdown_allowed, median_of, protect


def reader_options(line, k, cap, nonzero=None):
    """For every hidden entry (cells, then the total), every value it could have that makes the
    published line add up. `nonzero` says, per cell, what a list beside the table tells the reader:
    whether that count is zero."""
    entries = [*line.cells, line.total]

    def domain(cell):
        if cell.visible:
            return {cell.value}
        if cell.text == f"< {k}":
            return set(range(1, k))
        return set(range(cap + 1))

    domains = [domain(c) for c in entries]
    for i, known in enumerate(nonzero or []):
        domains[i] = {v for v in domains[i] if (v > 0) == known}
    options = {}
    for i, cell in enumerate(entries):
        if cell.visible:
            continue
        # Sums the other cells (not the total) can make.
        sums = {0}
        for j, dom in enumerate(domains[:-1]):
            if j != i:
                sums = {s + v for s in sums for v in dom if s + v <= cap}
        if i == len(entries) - 1:
            options[i] = {t for t in domains[-1] if t in sums}
        else:
            options[i] = {v for v in domains[i] for t in domains[-1] if t - v in sums}
    return options


counts = st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5)
ks = st.integers(min_value=MINIMUM_K, max_value=7)


@settings(max_examples=400, deadline=None)
@given(values=counts, k=ks)
def test_no_published_line_lets_a_reader_pin_down_a_hidden_count(values, k):
    line = protect(values, k=k)
    cap = sum(values) + 3 * k
    for i, options in reader_options(line, k, cap).items():
        assert len(options) >= 2, f"{values} with k={k}: entry {i} can only be {options}"


@settings(max_examples=400, deadline=None)
@given(values=counts, k=ks)
def test_a_list_of_the_counts_that_are_not_zero_does_not_undo_the_protection(values, k):
    """The gaps list names the needs with signals: the reader knows which counts are zero, so a
    hidden zero protects nothing and a hidden count is at least 1. Nothing may be pinned even so."""
    from brugwijzer.disclosure import Sheet

    sheet = Sheet(k=k)
    sheet.add("line", values)
    sheet.disclose_sign(*[("line", i) for i in range(len(values))])
    line = sheet.solve()["line"]
    assert all(cell.text == "0" for cell, v in zip(line.cells, values, strict=True) if v == 0)
    cap = sum(values) + 3 * k
    for i, options in reader_options(line, k, cap, nonzero=[v > 0 for v in values]).items():
        assert len(options) >= 2, f"{values} with k={k}: entry {i} can only be {options}"


def test_two_small_counts_beside_a_published_zero_are_protected():
    """Four and four, a total of eight and a list telling the third count is zero: both would be 4."""
    from brugwijzer.disclosure import Sheet

    sheet = Sheet(k=5)
    sheet.add("line", [4, 4, 0])
    sheet.disclose_sign(("line", 0), ("line", 1), ("line", 2))
    line = sheet.solve()["line"]
    assert [c.text for c in line.cells] == ["< 5", "< 5", "0"]
    assert line.total.text != "8"


def test_a_published_floor_is_used_and_may_not_exceed_the_count():
    from brugwijzer.disclosure import Sheet

    sheet = Sheet(k=5)
    sheet.add("line", [3, 9])
    with pytest.raises(ValueError):
        sheet.at_least(Sheet.total("line"), 13)
    # "Over 12 cases": with 9 shown, the hidden cell would be at least 3, and "< 5" says at most 4.
    sheet.at_least(Sheet.total("line"), 12)
    line = sheet.solve()["line"]
    assert reader_options(line, 5, 40)[0] != {3}


@settings(max_examples=400, deadline=None)
@given(values=counts, k=ks)
def test_a_count_below_k_is_never_shown_and_a_shown_count_is_true(values, k):
    line = protect(values, k=k)
    for cell, true in zip([*line.cells, line.total], [*values, sum(values)], strict=True):
        if cell.visible:
            assert cell.value == true
            assert not 0 < cell.value < k
            assert cell.text == str(true)
        else:
            assert cell.value is None
            assert cell.text in {f"< {k}", "×"}


@settings(max_examples=200, deadline=None)
@given(values=counts, k=ks)
def test_a_percentage_is_only_given_for_a_shown_count_over_at_least_k(values, k):
    line = protect(values, k=k)
    for i, cell in enumerate(line.cells):
        share = line.share(i)
        if share is not None:
            assert cell.visible and line.total.visible and line.total.value >= k
            assert share == round(100 * values[i] / sum(values))


def test_a_single_small_cell_hides_the_smallest_other_count_too():
    line = protect([3, 12, 40])
    assert [c.text for c in line.cells] == ["< 5", "×", "40"]
    assert line.total.text == "55"


def test_two_ones_would_add_up_so_more_is_hidden():
    # Visible 20 and a total of 22 would leave 2 for two "< 5" cells: both must be 1.
    line = protect([1, 1, 20])
    options = reader_options(line, 5, 40)
    assert all(len(o) >= 2 for o in options.values())
    assert line.cells[2].text != "20" or line.total.text != "22"


def test_zero_stays_zero_and_large_counts_stay_visible():
    line = protect([0, 7, 9])
    assert [c.text for c in line.cells] == ["0", "7", "9"]
    assert line.total.text == "16"


def test_k_can_be_raised_but_never_lowered(settings):
    settings.BRUGWIJZER_DISCLOSURE_K = 3
    assert protect([4, 10]).cells[0].text == "< 5"
    settings.BRUGWIJZER_DISCLOSURE_K = 8
    assert protect([7, 10]).cells[0].text == "< 8"
    with pytest.raises(ValueError):
        protect([1, 2], k=4)


def test_medians_need_k_cases():
    assert median_of([3, 1, 2, 9], k=5) is None
    assert median_of([3, 1, 2, 9, 4], k=5) == 3
    assert median_of([1, 2, 3, 4, 5, 6], k=5) == 3.5


def test_a_breakdown_per_school_needs_k_schools_and_no_small_school():
    assert not breakdown_allowed([10, 12, 9, 30])
    assert not breakdown_allowed([10, 12, 9, 30, 2])
    assert breakdown_allowed([10, 12, 9, 30, 0])


def joint_reader(lines, links, k, cap):
    """Every value each hidden number can take in a set of published lines that share numbers.
    Backtracking over all hidden numbers at once; fine for the small sheets generated here."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for group in links:
        for entry in group[1:]:
            parent[find(entry)] = find(group[0])
    published = {}
    for key, line in lines.items():
        for index, cell in enumerate([*line.cells, line.total]):
            published.setdefault(find((key, index)), cell)
    domains = {}
    for var, cell in published.items():
        if cell.visible:
            domains[var] = [cell.value]
        elif cell.text == f"< {k}":
            domains[var] = list(range(1, k))
        else:
            domains[var] = list(range(cap + 1))
    equations = [
        ([find((key, i)) for i in range(len(line.cells))], find((key, len(line.cells)))) for key, line in lines.items()
    ]
    order = sorted(domains, key=lambda v: len(domains[v]))

    def consistent(assigned):
        for cells, total in equations:
            lo = sum(assigned[c] if c in assigned else min(domains[c]) for c in cells)
            hi = sum(assigned[c] if c in assigned else max(domains[c]) for c in cells)
            t_lo = assigned.get(total, min(domains[total]))
            t_hi = assigned.get(total, max(domains[total]))
            if hi < t_lo or lo > t_hi:
                return False
        return True

    def satisfiable(assigned, rest):
        if not consistent(assigned):
            return False
        if not rest:
            return True
        var, *others = rest
        if var in assigned:
            return satisfiable(assigned, others)
        return any(satisfiable({**assigned, var: x}, others) for x in domains[var])

    return {
        var: {x for x in domains[var] if satisfiable({var: x}, order)}
        for var, cell in published.items()
        if not cell.visible
    }


def partition(data, total, max_parts):
    parts = data.draw(st.integers(min_value=1, max_value=max_parts))
    cuts = sorted(data.draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_numbers_shown_in_two_tables_do_not_undo_each_others_protection(data):
    """Signals per need and per channel share their total; a third table breaks the first need
    down further. Nothing hidden in one may be worked out with the help of another."""
    from brugwijzer.disclosure import Sheet

    k = MINIMUM_K
    first = data.draw(st.lists(st.integers(0, 9), min_size=1, max_size=3))
    second = partition(data, sum(first), 3)
    third = partition(data, first[0], 2)
    sheet = Sheet(k=k)
    sheet.add("need", first)
    sheet.add("channel", second)
    sheet.add("detail", third)
    sheet.link(Sheet.total("need"), Sheet.total("channel"))
    sheet.link(("need", 0), Sheet.total("detail"))
    lines = sheet.solve()
    links = [[("need", len(first)), ("channel", len(second))], [("need", 0), ("detail", len(third))]]
    for var, options in joint_reader(lines, links, k, cap=sum(first) + 2 * k).items():
        assert len(options) >= 2, f"{first} / {second} / {third}: {var} can only be {options}"
