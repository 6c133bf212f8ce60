from django.urls import path

from intake.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.today, name="today"),
    path("start/", views.landing, name="landing"),
]
