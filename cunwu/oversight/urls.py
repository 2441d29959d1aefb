from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.home, name="home"),
    path("r/<str:code>/", views.dashboard, name="dashboard"),
    path("r/<str:code>/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("r/<str:code>/subjects/", views.subjects, name="subjects"),
    path("r/<str:code>/records/<str:figure>/", views.figure_records, name="records"),
    path("formula/", views.formula, name="formula"),
    path("refresh/", views.refresh, name="refresh"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/rules/", views.rule_list, name="rules"),
    path("alerts/rules/<slug:code>/", views.rule_edit, name="rule"),
]
urlpatterns += [
    path("ledger/", views.ledger_home, name="ledger_home"),
    path("ledger/<str:code>/", views.ledger, name="ledger"),
    path("ledger/task/<int:pk>/", views.ledger_task, name="ledger_task"),
]
urlpatterns += [
    path("reports/", views.report_list, name="reports"),
    path("reports/summary/", views.report_summary, name="report_summary"),
    path("reports/new/<str:code>/", views.report_preview, name="report_preview"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>.xlsx", views.report_file, {"fmt": "xlsx"}, name="report_xlsx"),
    path("reports/<int:pk>.pdf", views.report_file, {"fmt": "pdf"}, name="report_pdf"),
]
