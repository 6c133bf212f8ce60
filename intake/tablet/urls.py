from django.urls import path

from intake.tablet import views

app_name = "tablet"

urlpatterns = [
    path("", views.start, name="start"),
    path("setup/", views.setup, name="setup"),
    path("begin/", views.begin, name="begin"),
    path("finish/", views.finish, name="finish"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
    path("leave/", views.leave, name="leave"),
]
