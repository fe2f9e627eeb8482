"""What every generator shares: the build context, paths, formatting, Markdown escaping and templates."""
