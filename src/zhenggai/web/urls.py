from __future__ import annotations

from django.urls import path

from zhenggai.web import transfer, views

app_name = "web"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/import/", transfer.notice_import, name="notice_import"),
    path(
        "inspections/import/confirm/",
        transfer.notice_import_confirm,
        name="notice_import_confirm",
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/ledger.xlsx", transfer.ledger_export, name="ledger_export"),
    path("inspections/<int:pk>/ledger/import/", transfer.ledger_import, name="ledger_import"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    # Before the workflow steps: "extensions" would otherwise read as a step's name.
    path("measures/<int:pk>/extensions/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("measures/<int:pk>/<slug:step>/", views.measure_step, name="measure_step"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("search/", views.search, name="search"),
]
