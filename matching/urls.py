"""Matching pages, under /o/<org_slug>/programs/<program_slug>/matching/."""

from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("profile/", views.my_profile, name="profile"),
    path("profiles/<int:pk>/", views.profile_edit, name="profile-edit"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/questions/add/", views.question_add, name="question-add"),
    path("criteria/questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("criteria/questions/<int:pk>/delete/", views.question_delete, name="question-delete"),
]
