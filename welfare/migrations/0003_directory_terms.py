"""Brugwijzer's taxonomies: need categories and sub-themes (after the book), target groups,
outreach at school and languages. Term ids are derived from their codes, so every install
exchanges the same HSDS taxonomy_term ids."""

import uuid

from django.db import migrations

NAMESPACE = uuid.UUID("6f1d3a52-6a4e-4d55-9f0e-2b7c1f0b9a10")


def term_id(taxonomy, code):
    return uuid.uuid5(NAMESPACE, f"{taxonomy}:{code}")


NEEDS = [
    ("material_admin", "Financiële, materiële en administratieve noden", "Money, material and paperwork"),
    ("parenting_family", "Opvoeding en gezinsondersteuning", "Parenting and family support"),
    ("arts_sport_leisure", "Toegang tot kunst, sport en vrije tijd", "Access to arts, sport and leisure"),
    ("hygiene_health", "Hygiëne en (geestelijke) gezondheid", "Hygiene and (mental) health"),
    ("child_poverty", "Kinderarmoede", "Child poverty"),
    ("education_barriers", "Drempels naar en binnen het onderwijs", "Barriers to and within education"),
]

SUBCATEGORIES = [
    ("material_admin", "money_material", "Geld en materiële hulp", "Money, food, clothing, bills"),
    ("material_admin", "administration", "Papierwerk", "Forms, letters, debts"),
    ("material_admin", "housing", "Wonen", "Housing, eviction"),
    ("parenting_family", "daily_routines", "Dagstructuur", "Sleep, breakfast, screens"),
    ("parenting_family", "behaviour_in_class", "Gedrag in de klas", "Behaviour in class"),
    ("parenting_family", "complex_family_situation", "Complexe gezinssituatie", "Complex family situation"),
    ("arts_sport_leisure", "trips_enrichment", "Uitstappen", "Trips and school activities"),
    ("arts_sport_leisure", "leisure_access", "Vrije tijd", "Leisure offers"),
    ("hygiene_health", "hygiene", "Hygiëne", "Hygiene"),
    ("hygiene_health", "physical_dental", "Lichaam en tanden", "Doctor, dentist, food"),
    ("hygiene_health", "mental_psychosocial", "Psychosociaal welzijn", "Stress, trauma, well-being"),
    ("education_barriers", "parent_school_relation", "Relatie ouder en school", "Parents and school"),
    ("education_barriers", "learning_support", "Leerondersteuning", "Care and learning support"),
    ("education_barriers", "school_costs", "Schoolkosten", "School costs"),
    ("education_barriers", "enrolment", "Aanmelden en inschrijven", "Enrolment and school choice"),
    ("education_barriers", "homework_support", "Huiswerkbegeleiding", "Homework support"),
]

TARGET_GROUPS = [
    ("parents", "Ouders", "Parents"),
    ("children", "Kinderen (tot 12 jaar)", "Children (up to 12)"),
    ("young_people", "Jongeren", "Young people"),
    ("whole_family", "Het hele gezin", "The whole family"),
    ("newcomers", "Nieuwkomers", "Newcomers"),
    ("school_teams", "Schoolteams", "School teams"),
]

OUTREACH = [
    ("office_hours_at_school", "Zitdag of spreekuur op school", "Office hours at school"),
    ("school_gate_coffee", "Koffiemoment aan de schoolpoort", "Coffee moment at the school gate"),
    ("info_evening", "Infoavond voor ouders", "Information evening for parents"),
    ("staff_meeting_briefing", "Toelichting op een personeelsvergadering", "Briefing at a staff meeting"),
    ("home_visits", "Huisbezoeken", "Home visits"),
    ("activity_in_class", "Activiteit in de klas", "Activity in class"),
]

LANGUAGES = [
    ("nl", "Nederlands", "Dutch"),
    ("fr", "Frans", "French"),
    ("en", "Engels", "English"),
    ("ar", "Arabisch", "Arabic"),
    ("tr", "Turks", "Turkish"),
    ("pl", "Pools", "Polish"),
    ("ro", "Roemeens", "Romanian"),
    ("bg", "Bulgaars", "Bulgarian"),
    ("so", "Somalisch", "Somali"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("uk", "Oekraïens", "Ukrainian"),
    ("ps", "Pasjtoe", "Pashto"),
    ("es", "Spaans", "Spanish"),
    ("ru", "Russisch", "Russian"),
]


def add_terms(apps, schema_editor):
    def fill(model_name, taxonomy, rows, **extra):
        model = apps.get_model("welfare", model_name)
        for position, (code, name_nl, name_en) in enumerate(rows):
            model.objects.update_or_create(
                code=code,
                defaults={
                    "id": term_id(taxonomy, code),
                    "name_nl": name_nl,
                    "name_en": name_en,
                    "position": position,
                    **extra,
                },
            )

    fill("NeedCategory", "need", NEEDS)
    fill("TargetGroup", "target_group", TARGET_GROUPS)
    fill("OutreachForm", "outreach", OUTREACH)
    fill("Language", "language", LANGUAGES)
    categories = {c.code: c for c in apps.get_model("welfare", "NeedCategory").objects.all()}
    Subcategory = apps.get_model("welfare", "NeedSubcategory")
    for position, (parent, code, name_nl, name_en) in enumerate(SUBCATEGORIES):
        Subcategory.objects.update_or_create(
            code=code,
            defaults={
                "id": term_id("need", code),
                "category": categories[parent],
                "name_nl": name_nl,
                "name_en": name_en,
                "position": position,
            },
        )


def remove_terms(apps, schema_editor):
    for model_name in ("NeedSubcategory", "NeedCategory", "TargetGroup", "OutreachForm", "Language"):
        apps.get_model("welfare", model_name).objects.filter(services__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0002_organisation_types")]

    operations = [migrations.RunPython(add_terms, remove_terms)]
