from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("plans/<slug:reference>/webhooks/", views.index, name="index"),
    path("plans/<slug:reference>/webhooks/<id:pk>/remove/", views.remove, name="remove"),
]
