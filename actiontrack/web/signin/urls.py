"""Sign-in pages under accounts/ (included by actiontrack/urls.py), at Django's usual names for the password
views, so its own views find each other."""

from django.urls import path

from . import oidc, views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("password/forgotten/", views.PasswordForgotten.as_view(), name="password_reset"),
    path("password/forgotten/sent/", views.PasswordLinkSent.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordFromLink.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordSet.as_view(), name="password_reset_complete"),
    path("sso/start/", oidc.Start.as_view(), name="sso_start"),
    path("sso/callback/", oidc.Callback.as_view(), name="sso_callback"),
    path("signed-out/", oidc.signed_out, name="signed_out"),
]
