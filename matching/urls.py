"""Matching pages, under /o/<org_slug>/programs/<program_slug>/matching/."""

from django.urls import path

from . import choice_views, match_views, run_views, views

app_name = "matching"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("profile/", views.my_profile, name="profile"),
    path("profiles/<int:pk>/", views.profile_edit, name="profile-edit"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/preview/", views.criteria_preview, name="criteria-preview"),
    path("criteria/questions/add/", views.question_add, name="question-add"),
    path("criteria/questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("criteria/questions/<int:pk>/delete/", views.question_delete, name="question-delete"),
    # --- Match runs (run_views.py) ---
    path("runs/", run_views.run_list, name="runs"),
    path("runs/compare/", run_views.run_compare, name="run-compare"),
    path("runs/<int:number>/", run_views.run_detail, name="run"),
    path("runs/<int:number>/progress/", run_views.run_progress, name="run-progress"),
    path("runs/<int:number>/rerun/", run_views.run_rerun, name="run-rerun"),
    path("runs/<int:number>/publish/", run_views.run_publish, name="run-publish"),
    path("runs/<int:number>/swap/", run_views.run_swap, name="run-swap"),
    path(
        "runs/<int:number>/suggestions/<int:pk>/",
        run_views.suggestion_review,
        name="suggestion-review",
    ),
    # --- Published matches (match_views.py) ---
    path("matches/", match_views.match_list, name="matches"),
    path("matches/<int:pk>/status/", match_views.match_status, name="match-status"),
    path("matches/<int:pk>/rematch/", match_views.match_rematch, name="match-rematch"),
    path("my-match/", match_views.my_match, name="my-match"),
    # --- Mentee chooses (choice_views.py) ---
    path("suggestions/", choice_views.suggestions, name="suggestions"),
    path(
        "suggestions/<int:pk>/request/",
        choice_views.suggestion_request,
        name="suggestion-request",
    ),
    path("my-requests/<int:pk>/", choice_views.my_request, name="my-request"),
    path("requests/", choice_views.mentor_requests, name="requests"),
    path("requests/<int:pk>/respond/", choice_views.request_respond, name="request-respond"),
]
