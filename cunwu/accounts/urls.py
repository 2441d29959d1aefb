from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("workbench/", views.workbench, name="workbench"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/import/", views.users_import, name="users_import"),
    path("users/template.xlsx", views.users_template, name="users_template"),
    path("villages/template.xlsx", views.villages_template, name="villages_template"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/reset/", views.user_reset, name="user_reset"),
    path("memberships/<int:pk>/hand-over/", views.membership_handover, name="membership_handover"),
]
