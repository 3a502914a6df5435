from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/accessibility/", views.accessibility, name="accessibility"),
    path("public/<slug:reference>/", views.plan, name="plan"),
    path("public/<slug:reference>/register.csv", views.plan_csv, name="plan-csv"),
    path("public/<slug:reference>/register.json", views.plan_json, name="plan-json"),
    path("plans/<slug:reference>/publish/", views.publish, name="publish"),
]
