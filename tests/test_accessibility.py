"""axe-core, run in a real Chromium, finds no violation of any impact on the site's pages.

axe-core comes from PyPI (axe-playwright-python ships its axe.min.js), so this runs wherever the
browser test does. Each page is loaded from the live server with the demo data, as the reader (or
the staff member) named in PAGES sees it, and every axe rule that applies runs on it.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse_lazy
from django.utils import timezone

from eprints_app.models import MonthlyUsage
from eprints_app.roles import ROLE_PERMISSIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = 114516

# The pages checked, one line each: (name, address, who is logged in: None or a user fixture of
# conftest). The item page includes its usage statistics block; both it and the statistics page
# show fourteen months of figures (``usage_figures``).
PAGES = [
    ("home", "/", None),
    ("item", f"/id/eprint/{SEED}/", None),
    ("simple search with results", "/cgi/search/simple?q=pakistan", None),
    ("advanced search form", "/cgi/search/advanced", None),
    ("browse index", "/view/", None),
    ("browse by year", "/view/year/", None),
    ("a year", "/view/year/2021.html", None),
    ("browse by subject", "/view/subjects/", None),
    ("login", "/accounts/login/", None),
    ("statistics", "/cgi/stats/", None),
    ("actions", f"/id/eprint/{SEED}/actions/", "editor"),
    ("admin index", reverse_lazy("admin:index"), "administrator"),
    ("admin item change form", reverse_lazy("admin:eprints_app_item_change", args=[SEED]), "administrator"),
    ("admin deposit form", reverse_lazy("admin:eprints_app_item_add"), "editor"),
]


@pytest.fixture
def role_groups(transactional_db) -> None:
    """The roles' groups, made as their migration makes them: an earlier committing test may have
    emptied the tables of them."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (code.split(".") for code in codes)
            ]
        )


@pytest.fixture
def usage_figures(transactional_db, seed) -> None:
    """Fourteen months of the seed's figures, as ``aggregate_stats`` writes them."""
    month = timezone.localdate().replace(day=1)
    for count in range(14):
        MonthlyUsage.objects.create(
            eprintid=SEED,
            month=month,
            views=10 + count,
            downloads=count,
            unique_views=8,
            unique_downloads=count,
        )
        month = (month - timedelta(days=1)).replace(day=1)


def violations_report(violations: list[dict]) -> str:
    """One line per violated rule (id, impact, what it asks), then the selectors of each offending node."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} ({violation['helpUrl']})"
        )
        lines.extend(f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


def log_in(context, live_server_url: str, user) -> None:
    """Give the browser a session of ``user``, made as the test client's login makes one."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


@pytest.mark.parametrize(("name", "address", "who"), PAGES, ids=[page[0] for page in PAGES])
def test_page_has_no_accessibility_violations(
    request, role_groups, usage_figures, browser, live_server, name, address, who
):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    try:
        if who:
            log_in(context, live_server.url, request.getfixturevalue(who))
        page = context.new_page()
        response = page.goto(f"{live_server.url}{address}")
        assert response.status == 200, f"{name} ({address}): {response.status}"
        violations = Axe().run(page).response["violations"]
        if violations:
            pytest.fail(f"{name} ({address}):\n{violations_report(violations)}", pytrace=False)
    finally:
        context.close()
