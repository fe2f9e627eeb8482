"""The MkDocs glue: the only part of the engine that imports MkDocs."""
