from django.urls import path

from . import views

urlpatterns = [path("actions/", views.actions, name="actions")]
