from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "actiontrack.interchange"
    label = "interchange"
    verbose_name = "Import and export"
