from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every other app needs: the journal and who is acting, durable file writes, job logging."""

    name = "actiontrack.core"
    label = "core"
    verbose_name = "Journal"
