from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "actiontrack.notify"
    label = "notify"
    verbose_name = "Reminders"
