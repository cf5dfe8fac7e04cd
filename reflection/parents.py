"""The parent survey: printed codes, answering without an account, and results the team may see.

Parents answer in Dutch, English, French or Arabic (right to left). The interface strings of these
public pages live here, next to the questions' own languages in the data file, so a language is
added in one place: a column in UI below and the texts in the data. Results are aggregates only,
and any count below K is hidden (with a second cell hidden too where one hidden cell could be
worked out from the total).
"""

import secrets

from django import forms
from django.db import transaction

from reflection.models import ParentCode, ParentResponse, ParentSurvey

K = 5
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
    "used": {
        "nl": "Deze code is al gebruikt. Met één code kan u één keer antwoorden.",
        "en": "This code has already been used. Each code can answer once.",
        "fr": "Ce code a déjà été utilisé. Chaque code sert une seule fois.",
        "ar": "تم استخدام هذا الرمز من قبل. كل رمز يُستخدم مرة واحدة فقط.",
    },
    "closed": {
        "nl": "Deze bevraging is afgesloten. Dank u om te willen helpen.",
        "en": "This survey is closed. Thank you for wanting to help.",
        "fr": "Ce questionnaire est fermé. Merci de vouloir aider.",
        "ar": "انتهى هذا الاستبيان. شكرًا لرغبتكم في المساعدة.",
    },
    "unknown": {
        "nl": "Deze code kennen we niet. Kijk de code op uw papier na.",
        "en": "We do not know this code. Please check the code on your paper.",
        "fr": "Nous ne connaissons pas ce code. Vérifiez le code sur votre papier.",
        "ar": "لا نعرف هذا الرمز. يرجى التحقق من الرمز المكتوب على الورقة.",
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
    pass


@transaction.atomic
def submit(*, code: str, language: str, answers: dict) -> ParentResponse:
    """Store one parent's answers and use up the code, both or neither."""
    found = ParentCode.objects.select_for_update().select_related("survey").get(code=code)
    if found.used:
        raise CodeUsed
    found.used = True
    found.save(update_fields=["used"])
    return ParentResponse.objects.create(survey=found.survey, language=language, answers=answers)


def _suppress(cells: list[int], exclusive: bool) -> list[str]:
    """Counts as shown: 1 to K-1 become "< K". In a set of cells that add up to the total (one
    answer per parent), a single hidden cell could be worked out, so the smallest other one is
    hidden with it."""
    hidden = [0 < c < K for c in cells]
    if exclusive and sum(hidden) == 1:
        others = [(c, i) for i, c in enumerate(cells) if not hidden[i] and c > 0]
        if others:
            hidden[min(others)[1]] = True
    return [f"< {K}" if hide else str(c) for c, hide in zip(cells, hidden, strict=True)]


def results(survey: ParentSurvey, language: str = "nl") -> dict:
    """What the school team sees: per question the counts, with small groups hidden; nothing at
    all while fewer than K parents answered."""
    responses = list(survey.responses.values_list("answers", flat=True))
    total = len(responses)
    shown = total >= K
    questions = []
    for q in asked(survey.questionnaire):
        label = q["text"].get(language) or q["text"]["nl"]
        given = [r[q["code"]] for r in responses if q["code"] in r]
        n = len(given)
        row = {"code": q["code"], "label": label, "kind": q["kind"], "n": n, "visible": shown and n >= K}
        if q["kind"] == "scale":
            cells = [sum(1 for v in given if v == face) for face in FACES]
            row["cells"] = list(zip(FACES, _suppress(cells, exclusive=True), strict=True))
            row["low"] = q["low"].get(language) or q["low"]["nl"]
            row["high"] = q["high"].get(language) or q["high"]["nl"]
        else:
            cells = [sum(1 for v in given if o["value"] in v) for o in q["options"]]
            labels = [o["label"].get(language) or o["label"]["nl"] for o in q["options"]]
            row["cells"] = list(zip(labels, _suppress(cells, exclusive=False), strict=True))
        questions.append(row)
    return {"total": total, "shown": shown, "k": K, "questions": questions}
