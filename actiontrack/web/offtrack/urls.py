from django.urls import path

from . import views

app_name = "off-track"

urlpatterns = [
    path("plans/<slug:reference>/off-track/", views.index, name="index"),
    path("plans/<slug:reference>/off-track/<id:pk>/", views.notice, name="notice"),
]
