"""Importers: records from other systems (and from our own staff exports) into items."""
