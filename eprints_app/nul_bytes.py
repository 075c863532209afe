"""A NUL character that a request carries to PostgreSQL is a bad request (400), not a 500.

PostgreSQL cannot hold U+0000 in text, and psycopg refuses to send a statement with one ("cannot
contain NUL (0x00) bytes"). Our forms refuse NUL (Django's ProhibitNullCharactersValidator) and
the search answers it with a 400, but query strings reach statements in many places of Django's
own: the admin's list filters, its autocomplete and the initial values of its forms. Every
statement on PostgreSQL runs through ``refuse_nul_bytes``, which turns that refusal into
``BadRequest``; Django answers it with 400, and a script sees the same clear error. SQLite
stores NUL and needs nothing.
"""

from django.core.exceptions import BadRequest
from django.db import DataError

REFUSAL = "cannot contain NUL"


def refuse_nul_bytes(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except DataError as error:
        if REFUSAL in str(error):
            raise BadRequest("Text with a NUL character cannot be stored or looked up.") from error
        raise


def install(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: wrap each PostgreSQL connection's statements, once."""
    if connection.vendor == "postgresql" and refuse_nul_bytes not in connection.execute_wrappers:
        connection.execute_wrappers.append(refuse_nul_bytes)
