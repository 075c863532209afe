import re
import pytest
from tests.factories import make_user

pytestmark = pytest.mark.django_db

def test_peek(client):
    client.force_login(make_user(editor=True))
    r = client.get("/admin/eprints_app/item/add/")
    body = r.content.decode()
    open("/tmp/scratch/add.html", "w").write(body)
    assert r.status_code == 200
