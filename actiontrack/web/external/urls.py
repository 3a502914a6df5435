from django.urls import path

from . import views

app_name = "external"

urlpatterns = [
    path("plans/<slug:reference>/actions/<part:ref>/external-closure/", views.action_page, name="action"),
    path("plans/<slug:reference>/recommendations/<part:rec>/external-closure/", views.recommendation_page,
         name="recommendation"),
]
