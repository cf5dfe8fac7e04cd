"""The error summary of a page whose form failed, the GOV.UK way, for every form at once.

base.html asks for it once: it finds every bound form on the page (in the template context, also
inside a formset, a filter set or a dict of forms) that has errors, and lists each error with a
link to its field. The page's <title> then starts with "Error: " and the summary, focused when the
page loads, is the first thing a screen reader or keyboard user meets. No view needs to do anything
for it beyond rendering its invalid form."""

from dataclasses import dataclass

from django import forms, template
from django.forms.formsets import BaseFormSet
from django_filters import FilterSet

register = template.Library()


@dataclass(frozen=True)
class Problem:
    message: str
    target: str = ""  # the id of the field to jump to; empty for an error about the whole form


def _forms_in(value):
    # type(), not isinstance(): a lazy object (the user) must not be evaluated for this.
    kind = type(value)
    if issubclass(kind, forms.BaseForm | BaseFormSet):
        yield value
    elif issubclass(kind, FilterSet):
        yield value.form


def _candidates(values, depth=3):
    """Forms among the values, and inside plain dicts, lists and tuples of them up to a few levels
    down (a page of sections, each a dict with its own form)."""
    for value in values:
        kind = type(value)
        if issubclass(kind, dict) and depth:
            yield from _candidates(value.values(), depth - 1)
        elif issubclass(kind, list | tuple) and depth:
            yield from _candidates(value, depth - 1)
        else:
            yield from _forms_in(value)


def _target(bound) -> str:
    """The id of the element a link to the field should reach: the input itself, or the first
    option of a group of radio buttons or checkboxes (which has no element of its own id)."""
    return bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")


def _form_problems(form) -> list[Problem]:
    if not form.is_bound or not form.errors:
        return []
    problems = [Problem(str(message)) for message in form.non_field_errors()]
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        for message in bound.errors:
            if bound.is_hidden:
                problems.append(Problem(str(message)))
            else:
                label = str(bound.label).rstrip(":?") if bound.label else ""
                text = f"{label}: {message}" if label else str(message)
                problems.append(Problem(text, _target(bound)))
    return problems


def problems_on_page(context) -> list[Problem]:
    problems, seen = [], set()
    for found in _candidates(context.flatten().values()):
        if id(found) in seen:
            continue
        seen.add(id(found))
        if isinstance(found, BaseFormSet):
            if not found.is_bound:
                continue
            problems.extend(Problem(str(message)) for message in found.non_form_errors())
            for form in found.forms:
                if id(form) not in seen:
                    seen.add(id(form))
                    problems.extend(_form_problems(form))
        else:
            problems.extend(_form_problems(found))
    return problems


@register.simple_tag(takes_context=True)
def error_summary(context) -> list[Problem]:
    """`{% error_summary as error_summary %}`: the problems of every failed form on the page."""
    return problems_on_page(context)
