from django.urls import path

from . import views

app_name = "interchange"
# Not "imports/": that is the folder the uploads wait in (MEDIA_ROOT/imports), and a server that publishes
# MEDIA_ROOT at the site's root (as Django's test live server does) would answer these addresses with the file.
urlpatterns = [
    path("import/new/", views.import_new, name="new"),
    path("import/<str:token>/", views.preview, name="preview"),
    path("plans/<slug:reference>/import/", views.import_into, name="plan_import"),
    path("plans/<slug:reference>/export/<str:fmt>/", views.export, name="export"),
]
