from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("plans/<slug:reference>/measures/", views.index, name="index"),
    path("plans/<slug:reference>/measures/<id:pk>/record/", views.record, name="record"),
]
