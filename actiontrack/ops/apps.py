from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "actiontrack.ops"
    label = "ops"
    verbose_name = "Running the service: serving, health, backups"
