"""Small template helpers for accessible forms: labels, hints and errors tied to their fields."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("components/field.html")
def field(bound: forms.BoundField, hide_label: bool = False):
    hint_id, error_id = f"{bound.auto_id}_hint", f"{bound.auto_id}_error"
    described = [i for i, present in ((hint_id, bound.help_text), (error_id, bound.errors)) if present]
    attrs = {}
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


@register.inclusion_tag("components/form_errors.html")
def form_errors(form: forms.Form):
    """An error summary at the top of the form, each message linking to its field (GOV.UK pattern)."""
    items = [(None, message) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            bound = form[name]
            items += [(f"#{bound.auto_id}", f"{bound.label}: {message}") for message in errors]
    return {"items": items}
