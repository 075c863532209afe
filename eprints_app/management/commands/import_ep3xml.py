"""The command's old name: ``import_ep3xml`` is ``import_eprints``."""

from eprints_app.management.commands.import_eprints import Command as ImportEPrints


class Command(ImportEPrints):
    help = f"Another name for import_eprints. {ImportEPrints.help}"
