"""GOV.UK components rendered from their macros, and the per-process memo of their output."""

from django.utils.safestring import mark_safe

from heard import forms


def test_text_is_escaped_and_safe_html_is_not_even_when_the_memo_holds_the_other():
    as_text = forms.render_component("tag", {"text": "<b>Overdue</b>"})
    as_html = forms.render_component("tag", {"text": mark_safe("<b>Overdue</b>")})
    assert "&lt;b&gt;Overdue&lt;/b&gt;" in as_text and "<b>Overdue</b>" not in as_text
    assert "<b>Overdue</b>" in as_html
    # Asked again, each comes from the memo unchanged.
    assert forms.render_component("tag", {"text": "<b>Overdue</b>"}) == as_text
    assert forms.render_component("tag", {"text": mark_safe("<b>Overdue</b>")}) == as_html


def test_the_memo_gives_what_the_macro_gives_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(forms, "_RENDERED_MAX", 3)
    forms._rendered.clear()
    outputs = [forms.render_component("tag", {"text": f"Case {n}", "classes": "govuk-tag--red"}) for n in range(10)]
    assert all(f"Case {n}" in html for n, html in enumerate(outputs))
    assert len(forms._rendered) <= 3
    assert forms.render_component("tag", {"text": "Case 9", "classes": "govuk-tag--red"}) == outputs[9]


def test_params_it_cannot_key_are_rendered_every_time():
    class Label:
        def __str__(self) -> str:
            return "Reference"

    html = forms.render_component("tag", {"text": Label()})
    assert "Reference" in html
