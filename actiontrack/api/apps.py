from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "actiontrack.api"
    label = "api"
    verbose_name = "REST API and tokens"
