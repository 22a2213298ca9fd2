"""``/accounts/``: login, logout and the login steps. Password reset by e-mail is off: an
intranet often has no mail; the security administrator resets (docs/security.md)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from zhenggai.security import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/enrol/", views.enrol, name="security_enrol"),
    path("2fa/verify/", views.verify, name="security_verify"),
]
