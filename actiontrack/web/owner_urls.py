"""URLs of the owner pages (see web/owner_views.py)."""

urlpatterns = []
