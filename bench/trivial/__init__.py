"""The framework's floor for bench/http.py: Django with no apps and no middleware, one view."""
