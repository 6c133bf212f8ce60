from django.urls import path

from intake.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/treatments/new/", views.treatment_new, name="treatment_new"),
    path("treatments/<int:pk>/correct/", views.treatment_correct, name="treatment_correct"),
    path("visits/<str:reference>/", views.intake_visit, name="visit"),
    path("visits/<str:reference>/link/", views.intake_link, name="link"),
    path("visits/<str:reference>/new-patient/", views.intake_new_patient, name="new_patient"),
    path("visits/<str:reference>/unlink/", views.intake_unlink, name="unlink"),
    path("visits/<str:reference>/appointment/", views.intake_appointment, name="appointment"),
]
