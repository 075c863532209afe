"""Settings of the trivial site: nothing installed, nothing in the middle, no database."""

SECRET_KEY = "bench-trivial-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.trivial.urls"
DATABASES: dict = {}
USE_TZ = True
