from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "actiontrack.reports"
    label = "reports"
    verbose_name = "Board reports"
