"""The plugin host: the hook specifications, loading plugins and what they register."""
