from django.apps import AppConfig


class BrugwijzerConfig(AppConfig):
    """The project package as an app, only for what must be set up once for all the others."""

    name = "brugwijzer"
    verbose_name = "Brugwijzer"

    def ready(self):
        from brugwijzer.forms import blank_choice_in_our_words, refuse_control_characters

        refuse_control_characters()
        blank_choice_in_our_words()
