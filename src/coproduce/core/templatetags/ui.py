"""Small template helpers for accessible forms: labels, hints and errors tied to their fields."""

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from coproduce.core import shell
from coproduce.core.presenters import when_in_words

register = template.Library()


@register.inclusion_tag("components/field.html")
def field(bound: forms.BoundField, hide_label: bool = False):
    hint_id, error_id = f"{bound.auto_id}_hint", f"{bound.auto_id}_error"
    described = [i for i, present in ((hint_id, bound.help_text), (error_id, bound.errors)) if present]
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    widget = bound.field.widget
    return {
        "f": bound,
        "widget_html": bound.as_widget(attrs=attrs),
        "hint_id": hint_id,
        "error_id": error_id,
        "is_group": isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "hide_label": hide_label,
        "described": attrs.get("aria-describedby", ""),
    }


def _summary_line(label, message) -> str:
    """ "Label: message", unless the message already says what the label says (a checkbox whose label is the
    question, say), which would read "Confirm that ….: Confirm that …"."""
    label, message = str(label).strip(), str(message)
    if not label or label.rstrip(" .:?").lower() in message.lower():
        return message
    return f"{label.rstrip(' :')}: {message}"


def _first_input_id(bound) -> str:
    """The id a summary link should point at. A group of radios or checkboxes has no element with the
    field's own id (each option is `<id>_<n>`), so the link goes to the first option, as GOV.UK does."""
    if isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound.auto_id}_0"
    return bound.auto_id


@register.inclusion_tag("components/form_errors.html")
def form_errors(form: forms.Form):
    """An error summary at the top of the form, each message linking to its field (GOV.UK pattern)."""
    items: list[tuple[str | None, str]] = [(None, str(message)) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            bound = form[name]
            items += [
                (f"#{_first_input_id(bound)}", _summary_line(bound.label, message)) for message in errors
            ]
    return {"items": items}


class _TableRegion(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist, self.label = nodelist, label

    def render(self, context):
        return format_html(
            '<div class="table-wrap" tabindex="0" role="region" aria-label="{}">{}</div>',
            self.label.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - the template's own output, escaped there
        )


@register.tag
def table_region(parser, token):
    """`{% table_region _("Members") %}<table>…</table>{% endtable_region %}`: a table that may be wider
    than a phone scrolls inside its own region, which keyboard users can reach and scroll (it takes focus)
    and screen readers announce by its label (axe: scrollable-region-focusable)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("table_region takes one argument: the region's label")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return _TableRegion(nodelist, parser.compile_filter(bits[1]))


@register.filter
def when(moment) -> str:
    """`{{ item.due|when }}`: the date in words with how far away it is (see presenters.when_in_words)."""
    return when_in_words(moment) if moment else ""


@register.simple_tag(takes_context=True)
def site_header(context):
    """The site's header, kept per process and filled in with this person's values (core/shell.py); in a
    page being kept whole, a marker (core/kept_pages.py)."""
    if context.get("kept_page"):
        return context["header_marker"]
    return shell.header(context)


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The site's footer, kept per process and filled in with this person's values (core/shell.py); in a
    page being kept whole, a marker (core/kept_pages.py)."""
    if context.get("kept_page"):
        return context["footer_marker"]
    return shell.footer(context)
