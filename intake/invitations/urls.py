from django.urls import path

from intake.invitations import views

app_name = "invitations"

urlpatterns = [
    path("invite/<str:token>/", views.invitation_open, name="open"),
    path("reception/", views.reception, name="reception"),
    path("reception/invitations/<int:pk>/", views.invitation_detail, name="detail"),
    path("reception/patients/<int:pk>/invite/", views.invitation_for_patient, name="for_patient"),
    path("reception/invitations/<int:pk>/qr.svg", views.invitation_qr, name="qr"),
    path("reception/invitations/<int:pk>/send/", views.invitation_send, name="send"),
]
