from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "actiontrack.reports"
    label = "reports"
    verbose_name = "Board reports"

    def ready(self):
        # The dashboard's trend across issued reports comes from this app (plans does not depend on reports).
        from actiontrack.plans.selectors import portfolio

        from .trend import issued_trends

        portfolio.trend_source = issued_trends
