"""Stand-ins for chat platforms, used where a test needs a platform and not its HTTP API."""
