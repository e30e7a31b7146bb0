from django.urls import path

from wpsmonitor.reporting import views

app_name = "reporting"
urlpatterns = [
    path("reporting/", views.todo, name="todo"),
    path("plans/<slug:code>/reporting/", views.plan_reporting, name="plan"),
    path("plans/<slug:code>/reporting/rounds/", views.round_action, name="round_action"),
    path("plans/<slug:code>/reporting/assignments/", views.assignments, name="assignments"),
    path("plans/<slug:code>/reporting/people/", views.people, name="people"),
    path("plans/<slug:code>/reporting/workbook/", views.workbook, name="workbook"),
    path(
        "plans/<slug:code>/reporting/workbook/template.xlsx",
        views.workbook_template,
        name="workbook_template",
    ),
    path("plans/<slug:code>/reporting/<str:period>/start/", views.start, name="start"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/edit/", views.edit, name="edit"),
    path("submissions/<int:pk>/decide/", views.decide, name="decide"),
    path("submissions/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
