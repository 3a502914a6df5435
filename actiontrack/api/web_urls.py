"""The account page and its API tokens; included at /account/ by actiontrack/urls.py."""

from django.urls import path

from . import views

app_name = "account"

urlpatterns = [
    path("", views.account, name="index"),
    path("api-tokens/", views.token_new, name="token-new"),
    path("api-tokens/<id:pk>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("reminders/", views.reminders, name="reminders"),
    path("notification-emails/", views.notification_emails, name="notification-emails"),
]
