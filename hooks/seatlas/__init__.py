"""The Seoul Social Economy Atlas engine: records, validation and site generation."""

__version__ = "0.1.0"
