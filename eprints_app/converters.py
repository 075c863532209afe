"""URL converters: eprint IDs and document positions are positive integers of sane length,
so that anything else (letters, zero, a number too big for the database) is simply not found."""


class EprintIdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class PositionConverter(EprintIdConverter):
    regex = "[1-9][0-9]{0,4}"
