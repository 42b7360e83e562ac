"""Template tags for GOV.UK form markup: ``{% load govuk_forms %}``.

- ``{% govuk_field form.field_name [is_page_heading=True] [size="m"] [classes="…"] … %}``:
  one field as the GOV.UK component its widget calls for (see ``heard.forms.render_field``).
- ``{% govuk_error_summary form [other_form …] [title="There is a problem"] %}``: the error summary,
  each error linked to its field; renders nothing when there are no errors.
- ``{% govuk_component "button" text="Save" %}``: any GOV.UK component. Use it instead of
  govuk_frontend_django's ``gds_*`` tags, which build a Jinja environment and compile the macro on
  every use (~190 ms each) and keep state on the shared template node (see docs/frontend.md).
- ``{% capture name %}…{% endcapture %}``: render a block of template into a variable (base.html
  uses it to show the service name in both the header and the page title).
"""

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from heard.forms import render_component, render_error_summary, render_field

register = template.Library()


@register.simple_tag
def govuk_field(bound_field: forms.BoundField, **options) -> SafeString:
    if not isinstance(bound_field, forms.BoundField):
        # A typo ({% govuk_field form.nmae %}) resolves to "" in a template: fail loudly instead.
        raise template.TemplateSyntaxError(f"govuk_field needs a form field, got {bound_field!r}")
    return render_field(bound_field, **options)


@register.simple_tag
def govuk_error_summary(*forms_: forms.BaseForm, title: str = "There is a problem") -> SafeString:
    return render_error_summary(*(f for f in forms_ if f), title=title)


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        # Already escaped by the template it came from: mark it so it isn't escaped twice.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Usage: {% capture name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.simple_tag
def govuk_component(name: str, **params) -> SafeString:
    """Any GOV.UK Frontend component from its macro, without state kept between renders.

    ``{% govuk_component "button" text="Save and continue" preventDoubleClick=True %}``;
    nested params with a double underscore: ``{% govuk_component "phase-banner" tag__text="Beta" text="…" %}``.
    """
    nested: dict = {}
    for key, value in params.items():
        target = nested
        *parents, leaf = key.split("__")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return render_component(name, nested)
