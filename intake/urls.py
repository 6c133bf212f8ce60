from django.urls import path

from intake import page_views, views
from intake.resume import views as resume_views

app_name = "intake"

urlpatterns = [
    path("", views.intake_start, name="start"),
    path("submitted/<str:reference>/", page_views.intake_submitted, name="submitted"),
    path("welcome/", page_views.intake_welcome, name="welcome"),
    path("sent/", page_views.intake_sent, name="sent"),
    path("start-over/", page_views.intake_start_over, name="start_over"),
    path("session-ended/", page_views.intake_session_ended, name="session_ended"),
    path("continue-later/", resume_views.resume_request, name="resume_request"),
    path("continue/<str:token>/", resume_views.resume_open, name="resume_open"),
    path("<str:step>/", views.intake_wizard, name="step"),
]
