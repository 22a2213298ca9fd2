from __future__ import annotations

from django.urls import include, path

from zhenggai.web import (
    transfer,
    views,
    views_account,
    views_assessment,
    views_bulk,
    views_dashboard,
    views_documents,
    views_feedback,
    views_plan,
    views_publication,
    views_supervision,
)

app_name = "web"

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("dashboard.xlsx", views_dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/import/", transfer.notice_import, name="notice_import"),
    path(
        "inspections/import/confirm/",
        transfer.notice_import_confirm,
        name="notice_import_confirm",
    ),
    path("inspections/new/", views_feedback.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    # The feedback and its corrections (views_feedback).
    path("inspections/<int:pk>/feedback/", views_feedback.feedback, name="feedback"),
    path("inspections/<int:pk>/aspects/", views_feedback.aspect_add, name="aspect_add"),
    path("inspections/<int:pk>/paste/", views_feedback.feedback_paste, name="feedback_paste"),
    path(
        "inspections/<int:pk>/paste/confirm/",
        views_feedback.feedback_paste_confirm,
        name="feedback_paste_confirm",
    ),
    path("inspections/<int:pk>/hand-over/", views_feedback.hand_over, name="hand_over"),
    path("inspections/<int:pk>/report/submit/", views_feedback.report_submit, name="report_submit"),
    path(
        "inspections/<int:pk>/withdraw/",
        views_feedback.inspection_withdraw,
        name="inspection_withdraw",
    ),
    path(
        "inspections/<int:pk>/restore/",
        views_feedback.inspection_restore,
        name="inspection_restore",
    ),
    path("aspects/<int:pk>/problems/", views_feedback.problem_add, name="problem_add"),
    path("aspects/<int:pk>/edit/", views_feedback.aspect_edit, name="aspect_edit"),
    path("problems/<int:pk>/edit/", views_feedback.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/withdraw/", views_feedback.problem_withdraw, name="problem_withdraw"),
    path("problems/<int:pk>/restore/", views_feedback.problem_restore, name="problem_restore"),
    path("problems/<int:pk>/measures/", views_feedback.measure_add, name="measure_add"),
    path("measures/<int:pk>/withdraw/", views_feedback.measure_withdraw, name="measure_withdraw"),
    path("measures/<int:pk>/restore/", views_feedback.measure_restore, name="measure_restore"),
    path("measures/<int:pk>/split/", views_feedback.measure_split, name="measure_split"),
    path("measures/<int:pk>/merge/", views_feedback.measure_merge, name="measure_merge"),
    path("inspections/<int:pk>/ledger.xlsx", transfer.ledger_export, name="ledger_export"),
    path("inspections/<int:pk>/ledger/import/", transfer.ledger_import, name="ledger_import"),
    path("measures/bulk/", views_bulk.measures_bulk, name="measures_bulk"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    # Before the workflow steps: "extensions" would otherwise read as a step's name.
    path("measures/<int:pk>/extensions/", views.extension_request, name="extension_request"),
    path("measures/<int:pk>/orders/", views_supervision.order_issue, name="order_issue"),
    path(
        "measures/<int:pk>/interviews/", views_supervision.interview_record, name="interview_record"
    ),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("measures/<int:pk>/<slug:step>/", views.measure_step, name="measure_step"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("search/", views.search, name="search"),
    # set_language (web:set_language): the 中文 / English switch in the header.
    path("i18n/", include("django.conf.urls.i18n")),
    path("inspections/<int:pk>/publication/", views_publication.publication, name="publication"),
    path(
        "inspections/<int:pk>/publication/publish/",
        views_publication.publication_publish,
        name="publication_publish",
    ),
    path(
        "publications/<int:pk>/withdraw/",
        views_publication.publication_withdraw,
        name="publication_withdraw",
    ),
    path("account/", views_account.account, name="account"),
    path("account/tokens/", views_account.api_tokens, name="api_tokens"),
    path(
        "account/tokens/<int:pk>/revoke/", views_account.api_token_revoke, name="api_token_revoke"
    ),
    # Reminders, escalation and the documents a unit owes (views_supervision).
    path("reminders/", views_supervision.reminder_list, name="reminders"),
    path("reminders/<int:pk>/read/", views_supervision.reminder_read, name="reminder_read"),
    path("reminders/read-all/", views_supervision.reminders_read_all, name="reminders_read_all"),
    path("supervision/", views_supervision.order_list, name="orders"),
    path("supervision/<int:pk>/", views_supervision.order_detail, name="order"),
    path("supervision/<int:pk>/order.docx", views_supervision.order_document, name="order_docx"),
    path("supervision/<int:pk>/reply/", views_supervision.order_reply, name="order_reply"),
    path(
        "inspections/<int:pk>/document-settings/",
        views_documents.document_settings,
        name="document_settings",
    ),
    path(
        "supervision/<int:pk>/close/",
        views_supervision.order_review,
        {"outcome": "close"},
        name="order_close",
    ),
    path(
        "supervision/<int:pk>/return/",
        views_supervision.order_review,
        {"outcome": "return"},
        name="order_return",
    ),
    path("inspections/<int:pk>/notice.docx", views_supervision.notice_document, name="notice_docx"),
    path("inspections/<int:pk>/report.docx", views_supervision.report_document, name="report_docx"),
    path(
        "inspections/<int:pk>/leader-report.docx",
        views_supervision.leader_report_document,
        name="leader_report_docx",
    ),
    path(
        "inspections/<int:pk>/archive.xlsx",
        views_supervision.archive_catalogue,
        name="archive_xlsx",
    ),
    # Review, look-back and effectiveness (views_assessment).
    path(
        "inspections/<int:pk>/review/", views_assessment.inspection_review, name="inspection_review"
    ),
    path("inspections/<int:pk>/lookback/", views_assessment.lookback_panel, name="lookback_panel"),
    path("inspections/<int:pk>/prior-status/", views_assessment.prior_status, name="prior_status"),
    path(
        "inspections/<int:pk>/prior-status.xlsx",
        views_assessment.prior_status_xlsx,
        name="prior_status_xlsx",
    ),
    path("inspections/<int:pk>/assessment/", views_assessment.assessment, name="assessment"),
    path(
        "inspections/<int:pk>/assessment.xlsx",
        views_assessment.assessment_xlsx,
        name="assessment_xlsx",
    ),
    path(
        "inspections/<int:pk>/assessment.docx",
        views_assessment.assessment_docx,
        name="assessment_docx",
    ),
    path("links/<int:pk>/confirm/", views_assessment.link_confirm, name="link_confirm"),
    path("links/<int:pk>/reject/", views_assessment.link_reject, name="link_reject"),
    path("problems/<int:pk>/similar/", views_assessment.problem_similar, name="problem_similar"),
    # The 整改方案 and its three lists (views_plan).
    path("inspections/<int:pk>/plan/", views_plan.plan, name="plan"),
    path("inspections/<int:pk>/plan/submit/", views_plan.plan_submit, name="plan_submit"),
    path("inspections/<int:pk>/plan/opinion/", views_plan.plan_opinion, name="plan_opinion"),
    path("inspections/<int:pk>/plan/decide/", views_plan.plan_decide, name="plan_decide"),
    path("inspections/<int:pk>/plan/changes/", views_plan.change_request, name="plan_change"),
    path("plan-changes/<int:pk>/decide/", views_plan.change_decide, name="plan_change_decide"),
    path("inspections/<int:pk>/plan/lists/", views_plan.plan_lists, name="plan_lists"),
    path("inspections/<int:pk>/plan/lists.xlsx", views_plan.plan_lists_xlsx, name="plan_xlsx"),
    path("inspections/<int:pk>/plan.docx", views_plan.plan_docx, name="plan_docx"),
]
