from django.urls import path

from cocity.ecosystem import views

app_name = "ecosystem"
urlpatterns = [
    path("stakeholders/", views.stakeholder_list, name="stakeholder_list"),
    path("stakeholders/new/", views.stakeholder_create, name="stakeholder_create"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder_detail"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/delete/", views.stakeholder_delete, name="stakeholder_delete"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/delete/", views.partnership_delete, name="partnership_delete"),
    path("joint-work/", views.collaboration_list, name="collaboration_list"),
    path("joint-work/new/", views.collaboration_create, name="collaboration_create"),
    path("trust/", views.trust_list, name="trust_list"),
    path("trust/new/", views.trust_create, name="trust_create"),
    path("teams/", views.leadership_team_list, name="leadership_team_list"),
]
