"""The staff navigation: only the places this user's role may go (deny by default, as the views do)."""

from django import template
from django.urls import NoReverseMatch, reverse

from heard.staff.access import can

register = template.Library()

# (text, url name, the global action it needs, the url names (in its namespace) that mark it active, by
# prefix: "" marks every page of the namespace). Every staff page a role may use is here or linked from a
# page that is (heard/staff/tests/test_navigation.py checks it).
_ITEMS = [
    ("Work queue", "staff:home", "work_queue", ("home",)),
    ("Log feedback", "staff:log", "log", ("log",)),
    ("Search", "staff:search", "search", ("search",)),
    ("Letters to approve", "letters:for_approval", "approve_letters", ("for_approval", "approve")),
    ("Reports", "reports:index", "reports", ("",)),
    # Customer relations approve lessons' wording for the report without seeing the report itself.
    ("Lessons learnt", "reports:lessons_this_year", "publish_lessons", ("lessons", "lesson")),
    ("Letter templates", "letters:templates", "templates", ("template",)),
    ("Audit", "staff:audit", "audit", ("audit",)),
]


@register.simple_tag(takes_context=True)
def staff_navigation(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = (match.namespace, match.url_name or "") if match else ("", "")
    items = []
    for text, name, action, active_names in _ITEMS:
        if not can(user, action) or (action == "publish_lessons" and can(user, "reports")):
            continue  # (the reports pages link to the lessons for those who see both)
        try:
            href = reverse(name)
        except NoReverseMatch:  # a part of Heard not built yet
            continue
        namespace = name.split(":")[0]
        items.append(
            {"text": text, "href": href, "active": current[0] == namespace and current[1].startswith(active_names)}
        )
    return items


@register.filter
def may(user, action: str) -> bool:
    """``{% if user|may:"templates" %}``: may this user take this action, not about one case?"""
    return can(user, action)


@register.filter
def case_url(reference: str) -> str:
    """The case page's address (built by the case pages' own URLconf)."""
    try:
        return reverse("staff:case", args=[reference])
    except NoReverseMatch:
        return f"/staff/cases/{reference}/"


@register.simple_tag
def page_url(query_string: str, key: str, number: int) -> str:
    """A pagination link keeping the other GET parameters."""
    sep = "&" if query_string else ""
    return f"?{query_string}{sep}{key}={number}"


@register.simple_tag
def govuk_radios_follow_up(bound_field, follow_up, when: str = "Yes"):
    """Radios followed by the questions one answer leads to, indented beneath them like GOV.UK's
    conditional reveal but always shown: ``{% govuk_radios_follow_up form.safeguarding follow_up %}``
    with the follow-up fields captured first (``{% capture follow_up %}…{% endcapture %}``).

    Why not the reveal itself: GOV.UK Frontend puts aria-expanded on the radio inputs, which ARIA does
    not allow on a radio (axe-core's aria-allowed-attr, a critical failure). Always-visible follow-ups
    behave the same with and without JavaScript, and nothing required is ever hidden.
    """
    from django.utils.html import format_html

    from heard.forms import render_field

    return format_html(
        '{}<div class="govuk-radios__conditional heard-follow-up" role="group" aria-labelledby="{}">'
        '<p class="govuk-body govuk-!-font-weight-bold" id="{}">If {}:</p>{}</div>',
        render_field(bound_field, inline=True),
        f"{bound_field.auto_id}-follow-up",
        f"{bound_field.auto_id}-follow-up",
        when.lower(),
        follow_up,
    )
