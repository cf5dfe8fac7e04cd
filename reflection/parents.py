"""The parent survey: printed codes, answering without an account, and results the team may see.

Parents answer in Dutch, English, French or Arabic (right to left). The interface strings of these
public pages live here, next to the questions' own languages in the data file, so a language is
added in one place: a column in UI below and the texts in the data.

Results are aggregates only, and only once the survey has closed: while parents can still answer,
the totals before and after one parent hands in would show which face that parent chose. They go
through the project's disclosure control (`brugwijzer.disclosure`, with its configured threshold k).

A code that cannot be used (unknown, already used, or of a closed survey) gets one and the same
answer, and a client that keeps trying wrong codes is refused for a while, so codes cannot be
found by guessing.
"""

import secrets

from django import forms
from django.core import signing
from django.db import transaction
from django.utils import timezone

from brugwijzer import disclosure, throttle
from brugwijzer.addresses import client_address
from reflection.models import ParentCode, ParentResponse, ParentSurvey

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to type from paper
CODE_LENGTH = 10
MAX_CODES = 500
RTL = {"ar"}

UI = {
    "choose_language": {
        "nl": "Kies uw taal",
        "en": "Choose your language",
        "fr": "Choisissez votre langue",
        "ar": "اختاروا لغتكم",
    },
    "language_name": {"nl": "Nederlands", "en": "English", "fr": "Français", "ar": "العربية"},
    "skip": {
        "nl": "U mag een vraag overslaan. Niemand weet wie wat antwoordde.",
        "en": "You may skip a question. Nobody knows who answered what.",
        "fr": "Vous pouvez passer une question. Personne ne sait qui a répondu quoi.",
        "ar": "يمكنكم ترك أي سؤال. لا أحد يعرف من أجاب بماذا.",
    },
    "send": {"nl": "Versturen", "en": "Send", "fr": "Envoyer", "ar": "إرسال"},
    "thanks": {
        "nl": "Dank u wel. Uw antwoorden zijn goed aangekomen.",
        "en": "Thank you. We received your answers.",
        "fr": "Merci. Nous avons bien reçu vos réponses.",
        "ar": "شكرًا لكم. وصلتنا إجاباتكم.",
    },
    # One answer for an unknown code, a used one and one of a closed survey: telling them apart
    # would tell someone trying codes which ones exist.
    "unusable": {
        "nl": "Met deze code kan u niet (meer) antwoorden. Kijk de code op uw papier na. "
        "Elke code werkt één keer, zolang de bevraging loopt.",
        "en": "This code cannot be used (any more). Please check the code on your paper. "
        "Each code works once, while the survey is open.",
        "fr": "Ce code ne peut pas (ou plus) être utilisé. Vérifiez le code sur votre papier. "
        "Chaque code sert une seule fois, tant que le questionnaire est ouvert.",
        "ar": "لا يمكن استخدام هذا الرمز (أو لم يعد ممكنًا). يرجى التحقق من الرمز المكتوب على الورقة. "
        "كل رمز يُستخدم مرة واحدة فقط، ما دام الاستبيان مفتوحًا.",
    },
    # Says a quarter of an hour: GUESS_WINDOW below.
    "throttled": {
        "nl": "U hebt te veel codes geprobeerd. Wacht een kwartier en probeer dan opnieuw.",
        "en": "You tried too many codes. Please wait a quarter of an hour and try again.",
        "fr": "Vous avez essayé trop de codes. Attendez un quart d'heure, puis réessayez.",
        "ar": "لقد جربتم رموزًا كثيرة. يرجى الانتظار ربع ساعة ثم المحاولة من جديد.",
    },
    "enter_code": {
        "nl": "Typ de code van uw papier",
        "en": "Type the code from your paper",
        "fr": "Tapez le code de votre papier",
        "ar": "اكتبوا الرمز الموجود على الورقة",
    },
    "go": {"nl": "Verder", "en": "Continue", "fr": "Continuer", "ar": "متابعة"},
    "bad_answer": {
        "nl": "Iets klopt niet in uw antwoord. Kijk de vraag na.",
        "en": "Something is wrong in your answer. Please check the question.",
        "fr": "Quelque chose ne va pas dans votre réponse. Vérifiez la question.",
        "ar": "هناك خطأ في إجابتكم. يرجى مراجعة السؤال.",
    },
}
LANGUAGES = list(UI["language_name"])
# The five faces of the answer scale, from sad to happy, in every language.
FACES = [1, 2, 3, 4, 5]


def t(key: str, language: str) -> str:
    return UI[key].get(language) or UI[key]["nl"]


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def pretty(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def make_codes(survey: ParentSurvey, count: int) -> list[ParentCode]:
    count = max(1, min(count, MAX_CODES))
    made = [
        ParentCode(survey=survey, code="".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))
        for _ in range(count)
    ]
    return ParentCode.objects.bulk_create(made)


def asked(questionnaire) -> list[dict]:
    """Open questions are not asked: the team only ever sees aggregates, so free text about a
    family would be collected without being used."""
    return [q for q in questionnaire.content["questions"] if q["kind"] in ("scale", "multi")]


class ParentForm(forms.Form):
    def __init__(self, *args, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            label = q["text"].get(language) or q["text"]["nl"]
            if q["kind"] == "scale":
                field = forms.TypedChoiceField(
                    label=label, choices=[(i, str(i)) for i in FACES], coerce=int, widget=forms.RadioSelect
                )
            else:
                choices = [(o["value"], o["label"].get(language) or o["label"]["nl"]) for o in q["options"]]
                field = forms.MultipleChoiceField(label=label, choices=choices, widget=forms.CheckboxSelectMultiple)
            field.required = False
            self.fields[q["code"]] = field

    def answers(self) -> dict:
        return {code: value for code, value in self.cleaned_data.items() if value not in (None, "", [])}


class CodeUsed(Exception):
    """The code was used, or its survey closed, since the page was shown."""


@transaction.atomic
def submit(*, code: str, language: str, answers: dict) -> ParentResponse:
    """Store one parent's answers and use up the code, both or neither. Nothing is added once the
    survey has closed: the team's results, shown from then on, never change."""
    found = ParentCode.objects.select_for_update().select_related("survey").get(code=code)
    if found.used or not found.survey.is_open:
        raise CodeUsed
    found.used = True
    found.save(update_fields=["used"])
    return ParentResponse.objects.create(survey=found.survey, language=language, answers=answers)


# Trying codes ---------------------------------------------------------------------------------

# Wrong codes one client may try in a window. A family types its code from paper and may mistype it
# a few times, and several families may share one address (the school's Wi-Fi at a parents' evening);
# someone trying codes in bulk is stopped long before finding one of 31^10.
GUESS_LIMIT = 20
GUESS_WINDOW = 15 * 60  # seconds; the "throttled" text says a quarter of an hour
TICKET_AGE = 24 * 60 * 60  # seconds: long enough to fill in the questions at one's own pace


def ticket(code: str) -> str:
    """Given with the questions: proof that this client opened them with a good code, so its answers
    are taken even if its address (shared with others trying codes) was refused in between."""
    return signing.dumps(code, salt="reflection.parents.ticket")


def has_ticket(request, code: str) -> bool:
    try:
        return (
            signing.loads(request.POST.get("ticket", ""), salt="reflection.parents.ticket", max_age=TICKET_AGE) == code
        )
    except signing.BadSignature:
        return False


def usable_code(code: str) -> ParentCode | None:
    """The code if a parent can answer with it now; None for an unknown, used or closed one alike."""
    return (
        ParentCode.objects.select_related("survey__school", "survey__questionnaire")
        .filter(code=code, used=False, survey__closes_on__gte=timezone.localdate())
        .first()
    )


def guessing_blocked(request) -> bool:
    return throttle.count("parent-code", client_address(request) or "unknown") >= GUESS_LIMIT


def count_wrong_guess(request) -> None:
    """One more wrong code from this client; the window starts at the first one."""
    throttle.add_one("parent-code", client_address(request) or "unknown", window=GUESS_WINDOW)


# What the team sees ----------------------------------------------------------------------------


def publish(values: list[int], k: int) -> list[disclosure.Cell]:
    """The cells of one breakdown of all answers, as published. The total is the number of parents
    who answered, which everybody can see (the used codes tell it too), so a protection that only
    works by hiding the total is no protection: then every cell carries the hidden mark."""
    line = disclosure.protect(values, k)
    if line.total.visible:
        return line.cells
    return [disclosure.Cell(shown=disclosure.Shown.HIDDEN, value=None, k=k) for _ in values]


def results(survey: ParentSurvey, language: str = "nl") -> dict:
    """What the school team sees: nothing per answer while the survey is open; after it closed, per
    question the counts under disclosure control, and nothing at all while fewer than k parents
    answered. A question fewer than k parents answered is hidden as a whole."""
    k = disclosure.threshold()
    total = survey.responses.count()
    shown = not survey.is_open and total >= k
    questions = []
    responses = list(survey.responses.values_list("answers", flat=True)) if shown else []
    for q in asked(survey.questionnaire) if shown else []:
        label = q["text"].get(language) or q["text"]["nl"]
        given = [r[q["code"]] for r in responses if q["code"] in r]
        row = {"code": q["code"], "label": label, "kind": q["kind"], "visible": len(given) >= k}
        if q["kind"] == "scale":
            # One face per parent, and the parents who skipped the question: one breakdown of all.
            counts = [sum(1 for v in given if v == face) for face in FACES]
            cells = publish([*counts, total - len(given)], k)
            row["cells"] = [(face, cell.text) for face, cell in zip(FACES, cells[:-1], strict=True)]
            row["skipped"] = cells[-1].text
            row["low"] = q["low"].get(language) or q["low"]["nl"]
            row["high"] = q["high"].get(language) or q["high"]["nl"]
        else:
            # Every option on its own: the parents who ticked it and those who did not.
            cells = []
            for option in q["options"]:
                ticked = sum(1 for v in given if option["value"] in v)
                cells.append(publish([ticked, total - ticked], k)[0])
            labels = [o["label"].get(language) or o["label"]["nl"] for o in q["options"]]
            row["cells"] = [(text, cell.text) for text, cell in zip(labels, cells, strict=True)]
        questions.append(row)
    return {"total": total, "open": survey.is_open, "shown": shown, "k": k, "questions": questions}
