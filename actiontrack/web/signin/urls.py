"""Password pages, at Django's usual addresses under accounts/ (included by actiontrack/urls.py)."""

from django.urls import path

from . import oidc, views

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("password/forgotten/", views.password_forgotten, name="password_reset"),
    path("password/forgotten/sent/", views.password_link_sent, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_from_link, name="password_reset_confirm"),
    path("reset/done/", views.password_set, name="password_reset_complete"),
    path("sso/start/", oidc.Start.as_view(), name="sso_start"),
    path("sso/callback/", oidc.Callback.as_view(), name="sso_callback"),
    path("signed-out/", oidc.signed_out, name="signed_out"),
]
