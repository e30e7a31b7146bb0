from django.urls import path

from wpsmonitor.security import views

app_name = "security"
urlpatterns = [
    path("plans/<slug:code>/security/", views.index, name="index"),
    path("plans/<slug:code>/security/institutions/new/", views.institution_new, name="new"),
    path("plans/<slug:code>/security/coverage/", views.coverage, name="coverage"),
    path("plans/<slug:code>/security/desks/<int:pk>/", views.desk, name="desk"),
    path("plans/<slug:code>/security/desks/<int:pk>/edit/", views.desk_edit, name="desk_edit"),
    path(
        "plans/<slug:code>/security/desks/<int:pk>/delete/", views.desk_delete, name="desk_delete"
    ),
    path("plans/<slug:code>/security/desks/<int:pk>/cases/", views.desk_cases, name="cases"),
    path(
        "plans/<slug:code>/security/training/figures/",
        views.training_figures,
        name="training_figures",
    ),
    path("plans/<slug:code>/security/<slug:inst>/", views.institution, name="institution"),
    path("plans/<slug:code>/security/<slug:inst>/adopt/", views.adopt, name="adopt"),
    path("plans/<slug:code>/security/<slug:inst>/desks/new/", views.desk_new, name="desk_new"),
    # Training and deployments (docs/security-sector.md, "Training").
    path("plans/<slug:code>/security/<slug:inst>/training/", views.training, name="training"),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/units/new/",
        views.unit_new,
        name="unit_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/courses/new/",
        views.course_new,
        name="course_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/sessions/new/",
        views.session_new,
        name="session_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/sessions/<int:pk>/",
        views.session,
        name="session",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/sessions/<int:pk>/participants/",
        views.participant_new,
        name="participant_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/sessions/<int:pk>/follow-up/",
        views.follow_up,
        name="follow_up",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/training/sessions/<int:pk>/roster/",
        views.roster_upload,
        name="roster_upload",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/deployments/",
        views.deployments,
        name="deployments",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/deployments/new/",
        views.deployment_new,
        name="deployment_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/deployments/<int:pk>/",
        views.deployment,
        name="deployment",
    ),
]

# Editing an institution and its self-assessments (docs/security-sector.md).
urlpatterns += [
    path(
        "plans/<slug:code>/security/<slug:inst>/edit/",
        views.institution_edit,
        name="institution_edit",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/delete/",
        views.institution_delete,
        name="institution_delete",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/",
        views.assessments,
        name="assessments",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/new/",
        views.assessment_new,
        name="assessment_new",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/<int:pk>/",
        views.assessment,
        name="assessment",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/<int:pk>/edit/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/<int:pk>/publish/",
        views.assessment_publish,
        name="assessment_publish",
    ),
    path(
        "plans/<slug:code>/security/<slug:inst>/assessments/<int:pk>/delete/",
        views.assessment_delete,
        name="assessment_delete",
    ),
]

# Editing training and deployments (docs/security-sector.md, "Editing training and deployments").
_T = "plans/<slug:code>/security/<slug:inst>/"
urlpatterns += [
    path(_T + "training/units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path(_T + "training/units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path(_T + "training/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path(_T + "training/courses/<int:pk>/delete/", views.course_delete, name="course_delete"),
    path(_T + "training/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path(_T + "training/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path(_T + "deployments/<int:pk>/edit/", views.deployment_edit, name="deployment_edit"),
    path(_T + "deployments/<int:pk>/delete/", views.deployment_delete, name="deployment_delete"),
    path(
        _T + "deployments/<int:pk>/members/",
        views.deployment_members,
        name="deployment_members",
    ),
    path(
        _T + "deployments/<int:pk>/members/remove/",
        views.deployment_member_remove,
        name="deployment_member_remove",
    ),
]
