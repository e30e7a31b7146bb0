from django.urls import path

from wpsmonitor.oversight import views

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

# The auditor's evidence (oversight/evidence_views.py: docs/oversight.md).
from wpsmonitor.oversight import evidence_views  # noqa: E402

urlpatterns += [
    path(P + "evidence/", evidence_views.evidence, name="evidence"),
]
