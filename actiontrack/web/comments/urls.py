from django.urls import path

from . import views

app_name = "comments"

ACTION = "plans/<slug:reference>/actions/<part:ref>/comments/"

urlpatterns = [
    path(ACTION, views.add, name="add"),
    path(ACTION + "<id:pk>/edit/", views.edit, name="edit"),
]
