from django.urls import path

from intake import invitation_views

app_name = "invitations"

urlpatterns = [
    path("invite/<str:token>/", invitation_views.invitation_open, name="open"),
    path("reception/", invitation_views.reception, name="reception"),
    path("reception/invitations/<int:pk>/", invitation_views.invitation_detail, name="detail"),
    path("reception/invitations/<int:pk>/qr.svg", invitation_views.invitation_qr, name="qr"),
]
