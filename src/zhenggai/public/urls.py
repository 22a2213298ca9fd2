from __future__ import annotations

from django.urls import path

from zhenggai.public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.notice, name="notice"),
    path("<slug:slug>/notice.txt", views.notice_text, name="notice_text"),
]
