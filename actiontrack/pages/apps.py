from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "actiontrack.pages"
    label = "pages"
    verbose_name = "Shared page helpers"
