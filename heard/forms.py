"""The adapter from Django forms to GOV.UK Frontend markup.

Every form field on every page renders through :func:`render_field`, and every error summary through
:func:`error_summary_items`, so the two always agree: each summary link points at the element the
field's markup really has (the day box of a date, the first radio of a group). Like GOV.UK Notify's
self-rendering fields, a page template says only which field goes where:

    {% load govuk_forms %}
    {% govuk_error_summary form %}
    <form method="post" novalidate>{% csrf_token %}
      {% govuk_field form.full_name is_page_heading=True %}
      {% govuk_button "Continue" %}
    </form>

The markup comes from GOV.UK Frontend's own macros (the ``govuk-frontend-jinja`` port that
``govuk-frontend-django`` wraps), so it follows GOV.UK Frontend 6.0.0 exactly.

Error messages follow the GOV.UK style ("Enter …", "Select …", no full stop). Give each field its
own ``error_messages={"required": "Enter your full name"}``; :class:`GovukFormMixin` replaces
Django's generic defaults ("This field is required.") with GOV.UK-style ones built from the label
for any field that doesn't.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, PackageLoader, PrefixLoader, Template, select_autoescape

__all__ = [
    "DateInputWidget",
    "GovukDateField",
    "GovukFormMixin",
    "anchor_id",
    "error_summary_items",
    "render_component",
    "render_field",
]


# ---------------------------------------------------------------------------------------------
# Rendering GOV.UK Frontend macros
# ---------------------------------------------------------------------------------------------


@functools.cache
def _jinja_env() -> Environment:
    # The same loader govuk_frontend_django uses, but built once: it builds an Environment and
    # compiles the macro on every call (about 300 ms for one component, measured).
    return Environment(
        loader=PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        autoescape=select_autoescape(default_for_string=True, default=True),
        # As GOV.UK Frontend configures Nunjucks: no stray blank lines from the macros.
        trim_blocks=True,
        lstrip_blocks=True,
        # The macros are an installed package: don't stat their files on every render.
        auto_reload=False,
    )


@functools.cache
def _macro_template(component: str) -> Template:
    macro = "govuk" + "".join(part.capitalize() for part in component.split("-"))
    return _jinja_env().from_string(
        f'{{%- from "govuk_frontend_jinja/components/{component}/macro.html" import {macro} -%}}'
        f"{{{{ {macro}(params) }}}}"
    )


def _drop_none(value: Any) -> Any:
    # The macros test "'key' in params" in places, so absent beats None.
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value


def render_component(component: str, params: Mapping[str, Any]) -> SafeString:
    """Render a GOV.UK Frontend component macro, e.g. ``render_component("button", {"text": "Save"})``.

    ``component`` is the macro's folder name ("input", "date-input", "error-summary"). Text params are
    escaped; ``html`` params must already be safe.
    """
    params = _drop_none(dict(params))
    try:
        key = (component, _frozen(params))
    except _Uncacheable:
        return mark_safe(_macro_template(component).render(params=params).strip())
    html = _rendered.get(key)
    if html is None:
        html = mark_safe(_macro_template(component).render(params=params).strip())
        if len(_rendered) >= _RENDERED_MAX:
            _rendered.clear()
        _rendered[key] = html
    return html


# A macro's output depends on its params alone, and a page renders the same components again and again
# (each field's label, hint and error; the buttons; the tags). The macros cost 1 to 3 ms each, so their
# output is kept per process, keyed on the params (HTML that is already safe kept apart from text).
_RENDERED_MAX = 4096
_rendered: dict[tuple, SafeString] = {}


class _Uncacheable(Exception):
    pass


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if hasattr(value, "__html__"):
        return ("html", str(value))
    if value is None or isinstance(value, str | int | float | bool):
        return (type(value).__name__, value)
    raise _Uncacheable


# ---------------------------------------------------------------------------------------------
# GOV.UK-style error messages
# ---------------------------------------------------------------------------------------------


def _thing(label: str) -> str:
    """'Date received' -> 'date received'; 'NHS number' stays 'NHS number'."""
    label = str(label).strip()
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _is_question(label: str) -> bool:
    return str(label).strip().endswith("?")


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)


def govuk_default_messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK-style messages for a field whose author didn't write their own.

    They are built from the label, so "Full name" gives "Enter full name". A question label ("What
    is your name?") can't be turned into a good message: it gets "Enter your answer", and the author
    should write a better one.
    """
    thing = _thing(label)
    question = _is_question(label)
    messages: dict[str, str] = {}
    if isinstance(field, forms.BooleanField):
        # A lone checkbox ("I confirm the details are correct"): write a specific message.
        messages["required"] = "Select the box to confirm"
    elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        messages["required"] = "Select all that apply" if question else f"Select {thing}"
    elif _is_choice(field):
        messages["required"] = "Select an answer" if question else f"Select {thing}"
    elif isinstance(field, forms.FileField):
        messages["required"] = "Select a file" if question else f"Select {thing}"
        messages["empty"] = "The selected file is empty"
    else:
        messages["required"] = "Enter your answer" if question else f"Enter {thing}"
    name = "Your answer" if question else label.strip()
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{name} must be a whole number"
        messages["min_value"] = f"{name} must be %(limit_value)s or more"
        messages["max_value"] = f"{name} must be %(limit_value)s or less"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["invalid_choice"] = "Select an answer from the list" if question else f"Select {thing}"
    return messages


def _is_django_default(field: forms.Field, code: str) -> bool:
    message = field.error_messages.get(code)
    for klass in type(field).__mro__:
        default = getattr(klass, "default_error_messages", {}).get(code)
        if default is not None:
            return str(message) == str(default)
    return message is None


class GovukFormMixin:
    """Mix into a ``forms.Form`` or ``forms.ModelForm`` (first in the bases) to get:

    - GOV.UK-style messages instead of Django's defaults where the author didn't set one;
    - ``form.error_summary_items()`` for the error summary, in field order, linked to the right ids;
    - ``{{ form }}`` rendering every field as GOV.UK markup (handy for staff forms; public pages
      should place fields one by one with ``{% govuk_field %}``).
    """

    label_suffix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            label = str(field.label) if field.label is not None else pretty_name(name)
            for code, message in govuk_default_messages(field, label).items():
                if _is_django_default(field, code):
                    field.error_messages[code] = message
            if getattr(field, "max_length", None) and "max_length" not in field.error_messages:
                # Overrides MaxLengthValidator's message through the field (run_validators does that
                # by code), never by editing the validator, which is shared between form instances.
                thing = "Your answer" if _is_question(label) else label.strip()
                field.error_messages["max_length"] = f"{thing} must be {field.max_length} characters or less"

    def error_summary_items(self) -> list[dict[str, str]]:
        return error_summary_items(self)  # type: ignore[arg-type]

    def render(self, template_name: str | None = None, context: Any = None, renderer: Any = None) -> SafeString:
        if template_name is not None:
            return super().render(template_name, context, renderer)  # type: ignore[misc]
        return render_form_fields(self)  # type: ignore[arg-type]

    __str__ = render  # type: ignore[assignment]
    __html__ = render  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Dates: three boxes, GOV.UK's messages
# ---------------------------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``.

    Rendered by :func:`render_field` as GOV.UK's date input; this widget supplies the parsing.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        widgets = {part: forms.TextInput(attrs=numeric) for part in DATE_PARTS}  # Django adds the "_"
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple) and len(value) == 3:
            return list(value)
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""


class GovukDateField(forms.Field):
    """A date typed into day, month and year boxes, validated with GOV.UK's messages.

    ``label`` names the date in messages ("Date received must include a month"). When the label is a
    question ("When did it happen?"), give the name for messages as ``error_name="The date it
    happened"`` (otherwise they say "The date must include a month"). Pass
    ``must_be_past=True`` for "… must be today or in the past", ``must_be_future=True`` for "… must
    be today or in the future". ``today`` (a callable) defaults to ``timezone.localdate``.

    Each error records which boxes are wrong (``ValidationError.params["parts"]``), so only those
    boxes are highlighted and the error summary links to the first of them.
    """

    widget = DateInputWidget

    def __init__(
        self,
        *,
        must_be_past: bool = False,
        must_be_future: bool = False,
        today: Any = None,
        error_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.error_name = error_name
        self.must_be_past = must_be_past
        self.must_be_future = must_be_future
        self.today = today or timezone.localdate
        super().__init__(**kwargs)

    @property
    def _name(self) -> str:
        if self.error_name:
            return self.error_name
        if not self.label or _is_question(str(self.label)):
            return "The date"
        return str(self.label).strip()

    def _error(self, message: str, code: str, parts: Iterable[str] = DATE_PARTS) -> ValidationError:
        return ValidationError(message, code=code, params={"parts": list(parts)})

    def prepare_value(self, value: Any) -> Any:
        return self.widget.decompress(value) if isinstance(value, datetime.date) else value

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not value:
            return None
        raw = dict(zip(DATE_PARTS, (str(v or "").strip() for v in value), strict=True))
        missing = [part for part in DATE_PARTS if not raw[part]]
        if len(missing) == 3:
            return None
        name = self._name
        if missing:
            raise self._error(f"{name} must include a {' and '.join(missing)}", "incomplete", missing)
        numbers: dict[str, int] = {}
        for part in DATE_PARTS:
            try:
                numbers[part] = int(raw[part])
            except ValueError:
                raise self._error(f"{name} must be a real date", "invalid", [part]) from None
        if len(raw["year"]) != 4:
            raise self._error(f"{name} year must include 4 numbers", "year_digits", ["year"])
        try:
            return datetime.date(numbers["year"], numbers["month"], numbers["day"])
        except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
            bad = [
                p for p, ok in (("day", 1 <= numbers["day"] <= 31), ("month", 1 <= numbers["month"] <= 12)) if not ok
            ]
            raise self._error(f"{name} must be a real date", "invalid", bad or DATE_PARTS) from None

    def validate(self, value: datetime.date | None) -> None:
        if value is None and self.required:
            message = self.error_messages["required"]
            if _is_django_default(self, "required"):
                message = f"Enter {_thing(self._name)}"
            raise self._error(message, "required")
        if value is None:
            return
        today = self.today()
        if self.must_be_past and value > today:
            raise self._error(f"{self._name} must be today or in the past", "future")
        if self.must_be_future and value < today:
            raise self._error(f"{self._name} must be today or in the future", "past")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (initial if isinstance(initial, datetime.date) else None)
        except ValidationError:
            return True


# ---------------------------------------------------------------------------------------------
# Fields -> components
# ---------------------------------------------------------------------------------------------


def _first_error(bound_field: forms.BoundField) -> ValidationError | None:
    errors = bound_field.form.errors.get(bound_field.name)
    if not errors:
        return None
    data = getattr(errors, "data", None) or list(errors)
    first = data[0]
    return first if isinstance(first, ValidationError) else ValidationError(str(first))


def _message(error: ValidationError) -> str:
    return next(iter(error))


def _error_parts(bound_field: forms.BoundField) -> list[str]:
    error = _first_error(bound_field)
    if error is None:
        return []
    params = getattr(error, "params", None) or {}
    return list(params.get("parts") or DATE_PARTS)


def _kind(widget: forms.Widget) -> str:
    """Which GOV.UK component renders this widget."""
    if isinstance(widget, DateInputWidget):
        return "date-input"
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # before RadioSelect: it's a subclass
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password-input"
    if isinstance(widget, forms.FileInput):
        return "file-upload"
    if isinstance(widget, forms.widgets.Input):
        return "input"
    raise TypeError(f"No GOV.UK component for {type(widget).__name__}: render it by hand")


def anchor_id(bound_field: forms.BoundField) -> str:
    """The id the error summary links to: the input itself, the first radio or checkbox, or the
    first date box that has a problem (the day box when the whole date is wrong)."""
    kind = _kind(bound_field.field.widget)
    if kind == "date-input":
        parts = _error_parts(bound_field) or ["day"]
        return f"{bound_field.auto_id}_{parts[0]}"
    return bound_field.auto_id


def _label_size(size: str | None, default: str | None) -> str | None:
    size = size or default
    return size if size in {"s", "m", "l", "xl"} else None


def render_field(
    bound_field: forms.BoundField,
    *,
    is_page_heading: bool = False,
    size: str | None = None,
    label: str | None = None,
    hint: str | None = None,
    classes: str | None = None,
    inline: bool = False,
    autocomplete: str | None = None,
    spellcheck: bool | None = None,
    rows: int | None = None,
    threshold: int | None = None,
    **attributes: Any,
) -> SafeString:
    """One form field as GOV.UK markup, chosen by its widget.

    - ``is_page_heading``: the label (or legend) is the page's ``<h1>`` (one question per page).
    - ``size``: "s", "m", "l" or "xl" for the label or legend (page headings default to "l",
      legends to "m", labels to the normal size).
    - ``label``/``hint`` override the field's label/help_text; ``classes`` go on the input
      (e.g. "govuk-input--width-10"), ``inline`` puts radios side by side.
    - Widget ``attrs`` pass through: ``autocomplete``, ``inputmode``, ``spellcheck``, ``class``,
      ``rows`` and any ``data-*``/``aria-*`` attribute; extra keyword arguments are added as
      attributes too (use underscores for hyphens: ``data_module``).
    """
    field = bound_field.field
    widget = field.widget
    kind = _kind(widget)
    if kind == "hidden":
        return mark_safe(str(bound_field))

    widget_attrs = dict(widget.attrs)
    autocomplete = autocomplete or widget_attrs.pop("autocomplete", None)
    inputmode = widget_attrs.pop("inputmode", None)
    if spellcheck is None and "spellcheck" in widget_attrs:
        spellcheck = str(widget_attrs.pop("spellcheck")).lower() == "true"
    classes = " ".join(filter(None, [widget_attrs.pop("class", None), classes])) or None
    if widget_attrs.get("rows") == "10" and widget_attrs.get("cols") == "40":
        widget_attrs.pop("rows")  # Django's untouched default: use GOV.UK's 5 rows instead
    rows = rows or widget_attrs.pop("rows", None)
    # maxlength would stop people typing past the limit without telling them; the character
    # count tells them instead. min/max/step are meaningless on GOV.UK's text inputs.
    for name in ("maxlength", "minlength", "min", "max", "step", "cols", "required"):
        widget_attrs.pop(name, None)
    extra = {k.replace("_", "-"): v for k, v in attributes.items()}
    html_attributes = {**widget_attrs, **extra} or None
    if field.disabled:
        html_attributes = {**(html_attributes or {}), "disabled": "disabled"}

    label_text = str(label if label is not None else (bound_field.label or ""))
    hint_text = hint if hint is not None else (str(field.help_text) if field.help_text else None)
    error = _first_error(bound_field)
    error_message = {"text": _message(error)} if error else None

    heading_size = _label_size(size, "l" if is_page_heading else None)
    label_params = {
        "text": label_text,
        "isPageHeading": is_page_heading or None,
        "classes": f"govuk-label--{heading_size}" if heading_size else None,
    }
    legend_size = _label_size(size, "l" if is_page_heading else "m")
    fieldset = {
        "legend": {
            "text": label_text,
            "isPageHeading": is_page_heading or None,
            "classes": f"govuk-fieldset__legend--{legend_size}" if legend_size else None,
        }
    }
    common = {
        "id": bound_field.auto_id,
        "name": bound_field.html_name,
        "hint": {"text": hint_text} if hint_text else None,
        "errorMessage": error_message,
        "attributes": html_attributes,
    }
    value = bound_field.value()

    if kind == "input":
        input_type = getattr(widget, "input_type", "text")
        if isinstance(widget, forms.NumberInput):
            # GOV.UK: never type="number" (it rounds, scrolls and hides errors); numeric keyboard instead.
            input_type, inputmode = "text", inputmode or "numeric"
        if isinstance(widget, forms.EmailInput):
            autocomplete = autocomplete or "email"
            spellcheck = False if spellcheck is None else spellcheck
        return render_component(
            "input",
            {
                **common,
                "type": input_type,
                "label": label_params,
                "value": widget.format_value(value),
                "classes": classes,
                "autocomplete": autocomplete,
                "inputmode": inputmode,
                "spellcheck": spellcheck,
            },
        )

    if kind == "textarea":
        params = {
            **common,
            "label": label_params,
            "value": widget.format_value(value),
            "classes": classes,
            "autocomplete": autocomplete,
            "spellcheck": spellcheck,
            "rows": rows,
        }
        max_length = getattr(field, "max_length", None)
        if max_length:
            return render_component("character-count", {**params, "maxlength": max_length, "threshold": threshold})
        return render_component("textarea", params)

    if kind == "password-input":
        return render_component(
            "password-input",
            {
                **common,
                "label": label_params,
                "classes": classes,
                "autocomplete": autocomplete or "current-password",
                # Never echo a password back into the page.
                "value": None,
            },
        )

    if kind == "file-upload":
        return render_component("file-upload", {**common, "label": label_params, "classes": classes})

    if kind in {"select", "radios", "checkboxes"}:
        formatted = widget.format_value(value)
        options = [
            option
            for _group, group_options, _index in widget.optgroups(bound_field.html_name, formatted)
            for option in group_options
        ]
        if kind == "select":
            items = [
                {"value": str(o["value"]), "text": str(o["label"]), "selected": bool(o["selected"])} for o in options
            ]
            return render_component(
                "select",
                {**common, "label": label_params, "items": items, "classes": classes},
            )
        items = [
            {"value": str(o["value"]), "text": str(o["label"]), "checked": bool(o["selected"])}
            for o in options
            if str(o["value"]) != ""  # a blank radio would be an answer nobody can understand
        ]
        params = {
            **common,
            "idPrefix": bound_field.auto_id,
            "fieldset": fieldset,
            "items": items,
            "classes": " ".join(
                filter(None, [classes, "govuk-radios--inline" if inline and kind == "radios" else None])
            )
            or None,
        }
        del params["id"]
        return render_component(kind, params)

    if kind == "checkbox":
        # A single yes/no checkbox ("I agree …"): GOV.UK's checkboxes with one item, no fieldset.
        return render_component(
            "checkboxes",
            {
                "idPrefix": bound_field.auto_id,
                "name": bound_field.html_name,
                "errorMessage": error_message,
                "classes": classes,
                "items": [
                    {
                        "value": "true",
                        "text": label_text,
                        "checked": bool(field.to_python(value)) if not isinstance(value, bool) else value,
                        "hint": {"text": hint_text} if hint_text else None,
                        "attributes": html_attributes,
                    }
                ],
            },
        )

    # date-input
    values = value if isinstance(value, list | tuple) else widget.decompress(value)
    wrong = set(_error_parts(bound_field)) if error else set()
    autocomplete_prefix = autocomplete  # e.g. "bday" gives bday-day, bday-month, bday-year
    items = []
    for part, part_value in zip(DATE_PARTS, values, strict=True):
        width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
        items.append(
            {
                "id": f"{bound_field.auto_id}_{part}",
                "name": f"{bound_field.html_name}_{part}",
                "label": part.capitalize(),
                "value": part_value or None,
                "classes": f"{width} govuk-input--error" if part in wrong else width,
                "autocomplete": f"{autocomplete_prefix}-{part}" if autocomplete_prefix else None,
            }
        )
    return render_component(
        "date-input",
        {
            "id": bound_field.auto_id,
            "hint": common["hint"],
            "errorMessage": error_message,
            "fieldset": fieldset,
            "items": items,
            "attributes": html_attributes,
        },
    )


def render_form_fields(form: forms.BaseForm) -> SafeString:
    """Every field of a form, in order, hidden fields included (what ``{{ form }}`` gives)."""
    return format_html_join("\n", "{}", ((render_field(bound_field),) for bound_field in form))


def error_summary_items(*forms_: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's list: errors not tied to a field first (not linked, as GOV.UK does),
    then one line per field in the order the fields appear on the page, each linked to
    :func:`anchor_id`."""
    items: list[dict[str, str]] = []
    for form in forms_:
        if not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append({"text": str(message)})
        for bound_field in form:
            error = _first_error(bound_field)
            if error is None:
                continue
            item = {"text": _message(error)}
            if not bound_field.is_hidden:  # a hidden field has nothing to go to
                item["href"] = f"#{anchor_id(bound_field)}"
            items.append(item)
        # Errors added for names that aren't fields (form.add_error("x", ...) on a missing field
        # raises, but hidden-field errors land here): listed, not linked.
        for name, errors in form.errors.items():
            if name != forms.forms.NON_FIELD_ERRORS and name not in form.fields:
                items.extend({"text": str(message)} for message in errors)
    return items


def render_error_summary(*forms_: forms.BaseForm, title: str = "There is a problem") -> SafeString:
    items = error_summary_items(*forms_)
    if not items:
        return mark_safe("")
    return render_component("error-summary", {"titleText": title, "errorList": items})
