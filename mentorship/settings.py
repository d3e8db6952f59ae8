"""Settings for mentorship, read from the environment (django-environ).

Every value a deployment changes comes from an environment variable; see the README's table.
Settings never start servers: the dev runner (``mentorship.devrun``) does that.
"""

from datetime import time
from pathlib import Path

import environ
from bootstrap_wrapper import get_bootstrap_dir
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Without SECRET_KEY (and not DEBUG) the key stays empty: commands that sign nothing, such as
# `makemigrations --check`, still run, while Django refuses to read an empty key, and the web
# and Celery entry points read it at startup (`mentorship.startup.require_secret_key`), so
# they stop at once with a clear message.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails: by default the development server's own address, on the port it serves.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('PORT', default='8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_scopes",
    # Our apps, in their layers: each imports only those above it in this list (DESIGN.md).
    "mentorship",
    "programs",
    "matching",
    "roadmaps",
    "rooms",
    "reviews",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mentorship.errors.StorableTextMiddleware",
    "mentorship.tenancy.TenantMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mentorship.context_processors.tenancy",
            ],
        },
    },
]

# --- Data ----------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mentorship"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="mentorship"),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "mentorship.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# "mandatory", "optional" or "none": whether a new address must be confirmed before signing in.
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
ACCOUNT_ADAPTER = "mentorship.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "mentorship.forms.SignupExtraForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[mentorship] "
# Sign-up is by invitation; set to true to let anyone create an account.
OPEN_SIGNUP = env.bool("OPEN_SIGNUP", default=False)

# --- Email ---------------------------------------------------------------------------------------
# EMAIL_URL (e.g. smtp+tls://user:password@mail.example.org:587) becomes Django 6.1's MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_EMAIL_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
    "EMAIL_FILE_PATH": "file_path",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {opt: _email[key] for key, opt in _EMAIL_OPTIONS.items() if _email.get(key)},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="mentorship <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", get_bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mentorship.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mentorship.api.permissions.TokenScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "mentorship.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "mentorship.api.schema.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "mentorship.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "mentorship.api.metadata.Metadata",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": "2000/hour", "anon": "200/hour"},
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "EXCEPTION_HANDLER_CLASS": "mentorship.api.errors.ExceptionHandler",
    "EXCEPTION_FORMATTER_CLASS": "mentorship.api.errors.ExceptionFormatter",
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "413",
        "415",
        "429",
        "500",
    ],
}
_ERR = "drf_standardized_errors.openapi_serializers."
SPECTACULAR_SETTINGS = {
    "TITLE": "mentorship API",
    "DESCRIPTION": (
        "Everything a person can do in the browser. Authenticate with a personal token: "
        "`Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": _ERR + "ValidationErrorEnum.choices",
        "ClientErrorEnum": _ERR + "ClientErrorEnum.choices",
        "ServerErrorEnum": _ERR + "ServerErrorEnum.choices",
        "ErrorCode401Enum": _ERR + "ErrorCode401Enum.choices",
        "ErrorCode403Enum": _ERR + "ErrorCode403Enum.choices",
        "ErrorCode404Enum": _ERR + "ErrorCode404Enum.choices",
        "ErrorCode405Enum": _ERR + "ErrorCode405Enum.choices",
        "ErrorCode406Enum": _ERR + "ErrorCode406Enum.choices",
        "ErrorCode415Enum": _ERR + "ErrorCode415Enum.choices",
        "ErrorCode429Enum": _ERR + "ErrorCode429Enum.choices",
        "ErrorCode500Enum": _ERR + "ErrorCode500Enum.choices",
        "MembershipRoleEnum": "mentorship.models.Role.choices",
        "InvitationStatusEnum": "mentorship.models.Invitation.Status",
        "ProgramStatusEnum": "programs.models.Program.Status",
        "EnrollmentStatusEnum": "programs.models.Enrollment.Status",
        "EnrollmentRoleEnum": "programs.models.Enrollment.Role",
        "ProfileQuestionEnum": "matching.models.ProfileQuestion",
        "MatchStatusEnum": "matching.models.Match.Status",
        "MilestoneStatusEnum": "roadmaps.models.Milestone.Status",
        # One step up or down a list (logic-model items, agenda points, stage prompts…).
        "DirectionEnum": [("up", "up"), ("down", "down")],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Heavy work (matching runs, roll-ups) has its own queue, so it never delays emails.
CELERY_TASK_ROUTES = {"matching.tasks.execute_match_run": {"queue": "heavy"}}
# Beat runs a short static schedule of sweeps; what is due when lives in our own tables.
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {
        "task": "mentorship.tasks.expire_invitations",
        "schedule": 15 * 60,
    },
    "expire-mentor-requests": {
        "task": "matching.tasks.expire_mentor_requests",
        "schedule": 15 * 60,
    },
    # Emails deferred by quiet hours, and any whose task was lost.
    "send-due-notifications": {
        "task": "mentorship.notifications.tasks.send_due_notifications",
        "schedule": 5 * 60,
    },
}

# No email between these local times of the recipient; it waits until the end (empty: no quiet
# hours). Written "22:00-07:00".
_quiet = env("NOTIFICATIONS_QUIET_HOURS", default="22:00-07:00")
NOTIFICATIONS_QUIET_HOURS = (
    tuple(time.fromisoformat(t) for t in _quiet.split("-")) if _quiet else ()
)

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything (CSS, JS, fonts, API docs assets) is served from our own origin; no inline scripts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a per-domain decision for the operator.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
