"""Matching pages, under /o/<org_slug>/programs/<program_slug>/matching/."""

from django.urls import path

from .views import choice, criteria, matches, pool, profiles, runs

app_name = "matching"
urlpatterns = [
    path("", pool.pool, name="pool"),
    path("profile/", profiles.my_profile, name="profile"),
    path("profiles/<int:pk>/", profiles.profile_edit, name="profile-edit"),
    path("criteria/", criteria.criteria, name="criteria"),
    path("criteria/preview/", criteria.criteria_preview, name="criteria-preview"),
    path("criteria/questions/add/", criteria.question_add, name="question-add"),
    path("criteria/questions/<int:pk>/", criteria.question_edit, name="question-edit"),
    path("criteria/questions/<int:pk>/delete/", criteria.question_delete, name="question-delete"),
    # --- Match runs (runs.py) ---
    path("runs/", runs.run_list, name="runs"),
    path("runs/compare/", runs.run_compare, name="run-compare"),
    path("runs/<int:number>/", runs.run_detail, name="run"),
    path("runs/<int:number>/progress/", runs.run_progress, name="run-progress"),
    path("runs/<int:number>/rerun/", runs.run_rerun, name="run-rerun"),
    path("runs/<int:number>/publish/", runs.run_publish, name="run-publish"),
    path("runs/<int:number>/swap/", runs.run_swap, name="run-swap"),
    path(
        "runs/<int:number>/suggestions/<int:pk>/",
        runs.suggestion_review,
        name="suggestion-review",
    ),
    # --- Published matches (matches.py) ---
    path("matches/", matches.match_list, name="matches"),
    path("matches/<int:pk>/status/", matches.match_status, name="match-status"),
    path("matches/<int:pk>/rematch/", matches.match_rematch, name="match-rematch"),
    path("my-match/", matches.my_match, name="my-match"),
    # --- Mentee chooses (choice.py) ---
    path("suggestions/", choice.suggestions, name="suggestions"),
    path(
        "suggestions/<int:pk>/request/",
        choice.suggestion_request,
        name="suggestion-request",
    ),
    path("my-requests/<int:pk>/", choice.my_request, name="my-request"),
    path("requests/", choice.mentor_requests, name="requests"),
    path("requests/<int:pk>/respond/", choice.request_respond, name="request-respond"),
]
