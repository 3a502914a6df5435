"""URLs of the administration pages (see web/administration/views.py), mounted at /administration/."""

from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.organisation, name="organisation"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<id:user_id>/", views.user_detail, name="user"),
    path("users/<id:user_id>/active/", views.user_active, name="user_active"),
    path("users/<id:user_id>/details/", views.user_details, name="user_details"),
    path("users/<id:user_id>/password/", views.user_password, name="user_password"),
    path("users/<id:user_id>/password-link/", views.user_password_link, name="user_password_link"),
    path("users/<id:user_id>/administrator/", views.user_administrator, name="user_administrator"),
    path("users/<id:user_id>/roles/", views.role_grant, name="role_grant"),
    path("users/<id:user_id>/roles/<id:role_id>/revoke/", views.role_revoke, name="role_revoke"),
    path("posts/", views.post_list, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<id:post_id>/", views.post_detail, name="post"),
    path("posts/<id:post_id>/holders/", views.post_holder, name="post_holder"),
    path("posts/<id:post_id>/holdings/<id:holding_id>/", views.holding_detail, name="holding"),
    path("posts/<id:post_id>/holdings/<id:holding_id>/account/", views.holding_account, name="holding_account"),
    path("posts/<id:post_id>/holdings/<id:holding_id>/end/", views.holding_end, name="holding_end"),
]
