from django import template

register = template.Library()


@register.filter
def field(form, name):
    """The bound field called `name`: question fields have generated names."""
    return form[name]


@register.filter
def chunks(items, size):
    """Split a list into consecutive groups of `size` (the three cells of one need in a grid)."""
    items = list(items)
    return [items[i : i + int(size)] for i in range(0, len(items), int(size))]


@register.filter
def need_label(form, name):
    return form.grid_labels.get(name, "")


@register.filter
def get(mapping, key):
    return mapping.get(key)
