from django import template

register = template.Library()


@register.filter
def plain(value):
    """A value of an export as text: lists joined, empty as a dash."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    return value
