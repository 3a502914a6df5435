from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "actiontrack.web"
    label = "web"
    verbose_name = "Web interface"
