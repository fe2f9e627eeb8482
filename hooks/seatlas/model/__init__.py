"""The data model: field types, the schema and its labels, the YAML loader, validation, places."""
