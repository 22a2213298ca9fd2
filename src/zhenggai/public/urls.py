from __future__ import annotations

from django.urls import path

from zhenggai.opinions import views_public as opinions
from zhenggai.public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    # 群众监督意见: before "<slug>/", though a 12-character slug never reads "feedback".
    path("feedback/", opinions.tracking_lookup, name="tracking_lookup"),
    path("feedback/<str:code>/", opinions.tracking, name="tracking"),
    path("<slug:slug>/", views.notice, name="notice"),
    path("<slug:slug>/notice.txt", views.notice_text, name="notice_text"),
    path("<slug:slug>/opinion/", opinions.opinion_form, name="opinion"),
    path("<slug:slug>/qr.svg", opinions.qr_svg, name="qr"),
    path("<slug:slug>/poster/", opinions.poster, name="poster"),
]
