"""The staff navigation: only the places this user's role may go (deny by default, as the views do)."""

from django import template
from django.urls import NoReverseMatch, reverse

from heard.staff.access import can

register = template.Library()

# (text, url name, the global action it needs, the url-name prefix that marks it active)
_ITEMS = [
    ("Work queue", "staff:home", "work_queue", ("home",)),
    ("Log feedback", "staff:log", "log", ("log",)),
    ("Search", "staff:search", "search", ("search",)),
    ("Reports", "reports:index", "reports", ()),
    ("Audit", "staff:audit", "audit", ("audit",)),
]


@register.simple_tag(takes_context=True)
def staff_navigation(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = (match.namespace, match.url_name) if match else ("", "")
    items = []
    for text, name, action, active_names in _ITEMS:
        if not can(user, action):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:  # a part of Heard not built yet
            continue
        namespace = name.split(":")[0]
        items.append({"text": text, "href": href,
                      "active": current[0] == namespace and any((current[1] or "").startswith(a)
                                                                for a in active_names)
                      or (namespace == "reports" and current[0] == "reports")})
    return items


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
