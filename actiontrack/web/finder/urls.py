from django.urls import path

from . import bulk, views

urlpatterns = [
    path("actions/", views.actions, name="actions"),
    path("actions/verify/", bulk.verify, name="actions-verify"),
    path("actions/reassign/", bulk.reassign, name="actions-reassign"),
    path("actions/due-dates/", bulk.due_dates, name="actions-due-dates"),
    path("actions/remind/", bulk.remind, name="actions-remind"),
    path("actions/lock-periods/", bulk.lock_periods, name="actions-lock-periods"),
]
