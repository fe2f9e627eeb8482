"""The generated site: one module per feature (pages, timelines, charts, downloads, editors' pages)."""
