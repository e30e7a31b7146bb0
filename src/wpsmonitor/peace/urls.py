from django.urls import path

from wpsmonitor.peace import views

app_name = "peace"
urlpatterns = [
    path("plans/<slug:code>/peace/", views.processes, name="processes"),
    path("plans/<slug:code>/peace/new/", views.process_new, name="process_new"),
    path("plans/<slug:code>/peace/<int:pk>/", views.process, name="process"),
    path("plans/<slug:code>/peace/<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path(
        "plans/<slug:code>/peace/<int:pk>/rounds/<int:round_pk>/delegations/new/",
        views.delegation_new,
        name="delegation_new",
    ),
    path(
        "plans/<slug:code>/peace/<int:pk>/consultations/new/",
        views.consultation_new,
        name="consultation_new",
    ),
]

# Editing (docs/peace-processes.md, "Editing").
_ROUND = "plans/<slug:code>/peace/<int:pk>/rounds/<int:round_pk>/"
_CONSULTATION = "plans/<slug:code>/peace/<int:pk>/consultations/<int:consultation_pk>/"
urlpatterns += [
    path("plans/<slug:code>/peace/<int:pk>/edit/", views.process_edit, name="process_edit"),
    path("plans/<slug:code>/peace/<int:pk>/delete/", views.process_delete, name="process_delete"),
    path(_ROUND + "edit/", views.round_edit, name="round_edit"),
    path(_ROUND + "delete/", views.round_delete, name="round_delete"),
    path(
        _ROUND + "delegations/<int:delegation_pk>/edit/",
        views.delegation_edit,
        name="delegation_edit",
    ),
    path(
        _ROUND + "delegations/<int:delegation_pk>/delete/",
        views.delegation_delete,
        name="delegation_delete",
    ),
    path(_CONSULTATION + "edit/", views.consultation_edit, name="consultation_edit"),
    path(_CONSULTATION + "delete/", views.consultation_delete, name="consultation_delete"),
]

# Agreements and gender provisions (docs/peace-processes.md, "Agreements and gender provisions").
_AGREEMENT = "plans/<slug:code>/peace/agreements/<int:pk>/"
urlpatterns += [
    path("plans/<slug:code>/peace/agreements/", views.agreements, name="agreements"),
    path("plans/<slug:code>/peace/agreements/new/", views.agreement_new, name="agreement_new"),
    path("plans/<slug:code>/peace/agreements/import/", views.pax_import, name="agreements_import"),
    path(_AGREEMENT, views.agreement, name="agreement"),
    path(_AGREEMENT + "edit/", views.agreement_new, name="agreement_edit"),
    path(_AGREEMENT + "delete/", views.agreement_delete, name="agreement_delete"),
    path(
        _AGREEMENT + "provisions/<int:provision_pk>/statuses/<int:status_pk>/delete/",
        views.provision_status_delete,
        name="provision_status_delete",
    ),
    path(_AGREEMENT + "provisions/new/", views.provision_new, name="provision_new"),
    path(
        _AGREEMENT + "provisions/<int:provision_pk>/",
        views.provision_new,
        name="provision_edit",
    ),
    path(
        _AGREEMENT + "provisions/<int:provision_pk>/status/",
        views.provision_status_new,
        name="provision_status_new",
    ),
    path(
        _AGREEMENT + "provisions/<int:provision_pk>/assessment/",
        views.provision_assessment,
        name="provision_assessment",
    ),
]
