from django.urls import path

from intake.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:reference>/", views.intake_detail, name="intake"),
    path("<str:reference>/print/", views.intake_print, name="print"),
    path("<str:reference>/decide/", views.intake_decide, name="decide"),
]
