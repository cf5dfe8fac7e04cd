"""The organisation types of the book's three clusters, plus the other partners schools meet."""

from django.db import migrations

# slug, Dutch name, English name, cluster, bound by professional secrecy
TYPES = [
    ("ocmw", "OCMW", "Public social welfare centre (OCMW)", "general_welfare", True),
    ("caw", "CAW", "General welfare centre (CAW)", "general_welfare", True),
    (
        "neighbourhood_work",
        "Buurtwerk of wijkcentrum",
        "Neighbourhood work or community centre",
        "general_welfare",
        True,
    ),
    (
        "huis_van_het_kind",
        "Huis van het Kind",
        "Huis van het Kind (family-support partnership)",
        "family_support",
        True,
    ),
    ("drop_in_team", "Inloopteam", "Drop-in team", "family_support", True),
    ("ckg", "CKG", "Child-care and family-support centre (CKG)", "family_support", True),
    ("parenting_shop", "Opvoedingswinkel", "Parenting advice shop", "family_support", True),
    ("kind_en_gezin", "Kind en Gezin", "Kind en Gezin (child and family agency)", "family_support", True),
    ("community_development", "Samenlevingsopbouw", "Community development", "parent_school_support", True),
    (
        "poverty_association",
        "Vereniging waar armen het woord nemen",
        "Association of people in poverty",
        "parent_school_support",
        False,
    ),
    (
        "integration_agency",
        "Agentschap Integratie en Inburgering",
        "Agency for Integration and Civic Integration",
        "parent_school_support",
        True,
    ),
    ("city_support_service", "Stedelijke ondersteuningsdienst", "City support service", "parent_school_support", False),
    ("education_centre", "Onderwijscentrum", "Education centre", "parent_school_support", False),
    ("bridge_figure_service", "Brugfigurenwerking", "Bridge-figure service", "parent_school_support", True),
    ("clb", "CLB", "Pupil guidance centre (CLB)", "other", True),
    ("health", "Gezondheidszorg", "Health care", "other", True),
    ("leisure_sport", "Vrije tijd, cultuur en sport", "Leisure, culture and sport", "other", False),
    ("youth_work", "Jeugdwerk", "Youth work", "other", False),
    ("brede_school", "Brede School", "Broad school network (Brede School)", "other", False),
    ("homework_support", "Huiswerkbegeleiding", "Homework support", "other", False),
    ("social_grocery", "Sociale kruidenier", "Social grocery", "other", False),
    ("legal_aid", "Juridische hulp", "Legal aid", "other", True),
    ("youth_advice_centre", "JAC (jongerenadviescentrum)", "Youth advice centre (JAC)", "other", True),
    ("integrated_youth_care", "Integrale jeugdhulp", "Integrated youth care", "other", True),
]


def add_types(apps, schema_editor):
    OrganisationType = apps.get_model("welfare", "OrganisationType")
    for slug, name_nl, name_en, cluster, secrecy in TYPES:
        OrganisationType.objects.update_or_create(
            slug=slug,
            defaults={"name_nl": name_nl, "name_en": name_en, "cluster": cluster, "has_professional_secrecy": secrecy},
        )


def remove_types(apps, schema_editor):
    OrganisationType = apps.get_model("welfare", "OrganisationType")
    OrganisationType.objects.filter(slug__in=[row[0] for row in TYPES], organisations__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
