from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from actiontrack.ops import health, static
from actiontrack.web import (
    converters,  # noqa: F401  registers <id:...> and <part:...> (web/converters.py) for every URL module
    views,
)
from actiontrack.web.signin import oidc
from actiontrack.web.signin.views import SignInView

urlpatterns = [
    # First: API clients call far more often than people load pages, and nothing else starts with api/.
    path("api/", include("actiontrack.api.urls")),
    path("", views.home, name="home"),
    path("", include("actiontrack.web.finder.urls")),
    path("", include("actiontrack.web.comments.urls")),
    path("", include("actiontrack.web.notifications.urls")),
    path("", include("actiontrack.web.webhooks.urls")),
    path("", include("actiontrack.web.public.urls")),
    path("", include("actiontrack.web.offtrack.urls")),
    path("", include("actiontrack.web.external.urls")),
    path("", include("actiontrack.web.measures.urls")),
    # Fixed paths such as plans/new/ come before plans/<reference>/.
    path("", include("actiontrack.web.manage.urls")),
    path("", include("actiontrack.web.owner.urls")),
    path("", include("actiontrack.reports.urls")),
    path("", include("actiontrack.interchange.urls")),
    path("account/", include("actiontrack.api.web_urls")),
    path("plans/<slug:reference>/", views.plan_detail, name="plan"),
    path("plans/<slug:reference>/actions/<part:ref>/", views.action_detail, name="action"),
    path("administration/", include("actiontrack.web.administration.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", oidc.sign_out, name="logout"),
    path("accounts/", include("actiontrack.web.signin.urls")),
    path("django-admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

if settings.SERVE_STATIC and not settings.DEBUG:
    # With DEBUG on, runserver serves them; in production the app does (see actiontrack/ops/static.py).
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", static.static_file))
