from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.intake_start, name="start"),
    path("submitted/<str:reference>/", views.intake_submitted, name="submitted"),
    path("start-over/", views.intake_start_over, name="start_over"),
    path("session-ended/", views.intake_session_ended, name="session_ended"),
    path("<str:step>/", views.intake_wizard, name="step"),
]
