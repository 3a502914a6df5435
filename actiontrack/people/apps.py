from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "actiontrack.people"
    label = "people"
    verbose_name = "People, posts and roles"
