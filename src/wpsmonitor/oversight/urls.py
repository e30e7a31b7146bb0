from django.urls import path

from wpsmonitor.oversight import evidence_views, views

app_name = "oversight"
P = "plans/<slug:code>/oversight/"
urlpatterns = [
    path(P, views.index, name="index"),
    path(P + "audits/add/", views.audit_new, name="audit_new"),
    path(P + "audits/<int:pk>/", views.audit, name="audit"),
    path(P + "audits/<int:pk>/findings/add/", views.finding_new, name="finding_new"),
    path(P + "hearings/add/", views.hearing_new, name="hearing_new"),
    path(P + "hearings/<int:pk>/", views.hearing, name="hearing"),
    path(P + "hearings/<int:pk>/commitments/add/", views.commitment_new, name="commitment_new"),
    path(P + "shared/", views.shared, name="shared"),
    path(P + "shared/<int:pk>/", views.shared_download, name="shared_download"),
    path(P + "shared/<int:pk>/remove/", views.shared_remove, name="shared_remove"),
]

# Changing, removing and publishing (docs/oversight.md, "Changing and removing").
A = P + "audits/<int:pk>/"
H = P + "hearings/<int:pk>/"
urlpatterns += [
    path(A + "change/", views.audit_edit, name="audit_edit"),
    path(A + "remove/", views.audit_remove, name="audit_remove"),
    path(A + "publish/", views.audit_publish, name="audit_publish"),
    path(A + "findings/<int:finding>/change/", views.finding_edit, name="finding_edit"),
    path(A + "findings/<int:finding>/remove/", views.finding_remove, name="finding_remove"),
    path(H + "change/", views.hearing_edit, name="hearing_edit"),
    path(H + "remove/", views.hearing_remove, name="hearing_remove"),
    path(H + "publish/", views.hearing_publish, name="hearing_publish"),
    path(H + "commitments/<int:commitment>/change/", views.commitment_edit, name="commitment_edit"),
    path(
        H + "commitments/<int:commitment>/remove/",
        views.commitment_remove,
        name="commitment_remove",
    ),
    path(P + "evidence/", evidence_views.evidence, name="evidence"),
]
