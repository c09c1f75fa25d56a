"""Errors the gpkg command reports to a curator or researcher (exit code 1), never with a stack trace."""


class GpkgError(Exception):
    """A data, query or build error with a message that names the file, line or field at fault."""
