from __future__ import annotations

from django.urls import path

from zhenggai.web import views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("measures/<int:pk>/<slug:step>/", views.measure_step, name="measure_step"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("search/", views.search, name="search"),
]
