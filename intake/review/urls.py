from django.urls import path

from intake.review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:reference>/", views.intake_detail, name="intake"),
    path("<str:reference>/print/", views.intake_print, name="print"),
    path("<str:reference>/handout/", views.intake_handout, name="handout"),
    path("<str:reference>/chart/", views.intake_chart, name="chart"),
    path("<str:reference>/chart.txt", views.intake_chart_text, name="chart_text"),
    path("<str:reference>/fhir.json", views.intake_fhir, name="fhir"),
    path("<str:reference>/decide/", views.intake_decide, name="decide"),
]
