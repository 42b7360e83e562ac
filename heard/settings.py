"""One settings module; every deployment difference comes from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url

from heard.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HEARD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-only-for-local-use" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "govuk_frontend_django",
    "heard.accounts",
    "heard.organisation",
    "heard.feedback",
    "heard.outbox",
    "heard.letters",
    "heard.reports",
    "heard.staff",
    "heard.public",
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
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "heard.urls"
WSGI_APPLICATION = "heard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "heard" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "heard.context_processors.council",
            ],
            # heard/ is a package, not an app, so its template tags are registered by name.
            "libraries": {"govuk_forms": "heard.templatetags.govuk_forms"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'heard.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for the write lock instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lockout after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
AXES_FAILURE_LIMIT = env_int("HEARD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HEARD_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
# Lock the account, not the address: a council office shares one outgoing IP address, and locking it
# would lock every colleague out at once.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False  # the failure log would keep usernames and IP addresses forever

# Staff sessions end after 30 idle minutes: case records are about children.
SESSION_COOKIE_AGE = env_int("HEARD_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HEARD_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("HEARD_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "heard" / "static"]
MEDIA_ROOT = Path(env_str("HEARD_MEDIA_ROOT", str(VAR_DIR / "media")))
# Documents are never served by URL from MEDIA_ROOT: every download goes through an audited view.
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email goes through Heard's outbox (heard send-outbox); this only chooses how the outbox delivers.
HEARD_EMAIL_TRANSPORT = env_str("HEARD_EMAIL_TRANSPORT", "console")  # console | smtp | notify
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "customer.relations@example.gov.uk")
NOTIFY_API_KEY = env_str("NOTIFY_API_KEY", "")

# The council running this instance: its name and colours, never the crown or GDS Transport.
HEARD_COUNCIL_NAME = env_str("HEARD_COUNCIL_NAME", "Seaside Borough Council")
HEARD_COUNCIL_PHONE = env_str("HEARD_COUNCIL_PHONE", "01234 567890")
HEARD_COUNCIL_EMAIL = env_str("HEARD_COUNCIL_EMAIL", "customer.relations@example.gov.uk")
HEARD_ADVOCACY_SERVICE = env_str("HEARD_ADVOCACY_SERVICE", "the Children's Advocacy Service")
HEARD_REFERENCE_PREFIX = env_str("HEARD_REFERENCE_PREFIX", "CS")
# Which corporate procedure this council runs: "corporate" (the Ombudsman's two-stage code) or
# "corporate_three_stage".
HEARD_CORPORATE_PROCEDURE = env_str("HEARD_CORPORATE_PROCEDURE", "corporate")
HEARD_BASE_URL = env_str("HEARD_BASE_URL", "http://127.0.0.1:8000")

# Never personal data in logs: Heard logs references and event names only, and Django's request
# logger (which prints URLs and bodies of failed requests) stays at WARNING without request data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Letters, the outbox and reminders (heard.letters, heard.outbox; added by the letters engineer).
# The council's postal address on letters, comma-separated lines.
HEARD_COUNCIL_ADDRESS = env_str(
    "HEARD_COUNCIL_ADDRESS", "Customer Relations, Town Hall, Seafront Road, Seaside, SE1 1AA"
)
# GOV.UK Notify: one email template whose subject is ((subject)) and body is ((body)).
NOTIFY_EMAIL_TEMPLATE_ID = env_str("NOTIFY_EMAIL_TEMPLATE_ID", "")
# Outbox delivery: give up after this many attempts; retries wait BACKOFF × 2^(attempt-1) seconds.
HEARD_OUTBOX_MAX_ATTEMPTS = env_int("HEARD_OUTBOX_MAX_ATTEMPTS", 6)
HEARD_OUTBOX_BACKOFF_SECONDS = env_int("HEARD_OUTBOX_BACKOFF_SECONDS", 60)
# An email left "sending" longer than this (the sender stopped mid-send) is not resent:
# see docs/how-to/scheduled-commands.md.
HEARD_OUTBOX_LEASE_SECONDS = env_int("HEARD_OUTBOX_LEASE_SECONDS", 900)

# Staff sign-in (heard.staff.views_auth): the lockout page says nothing about whether the username exists
# and puts no username in the URL (AXES_LOCKOUT_URL would), so it is rendered by our own callable.
AXES_LOCKOUT_CALLABLE = "heard.staff.views_auth.locked_out"

# Reports (heard.reports, added by the annual report): the order services are listed in the report's tables,
# names separated by "|" (names may contain commas; the reference report's order is not alphabetical).
# Services not named follow alphabetically.
HEARD_REPORT_SERVICE_ORDER = [s.strip() for s in env_str("HEARD_REPORT_SERVICE_ORDER", "").split("|") if s.strip()]
