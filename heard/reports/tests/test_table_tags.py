"""How a report table's headings sit over their columns."""

from heard.reports.templatetags.report_tags import headed_columns


def test_a_heading_is_right_aligned_over_figures_and_left_over_words():
    t = {
        "columns": ["Lesson learnt", "Service", "Complaints", "Upheld %"],
        "rows": [["Every family has a contact", "Early Help", 3, "<5"], ["Reports checked", "Early Help", 0, "[c]"]],
    }
    assert headed_columns(t) == [("Lesson learnt", False), ("Service", False), ("Complaints", True), ("Upheld %", True)]


def test_an_empty_table_has_no_figures_to_align_over():
    assert headed_columns({"columns": ["Service", "2025/26"], "rows": []}) == [("Service", False), ("2025/26", False)]
