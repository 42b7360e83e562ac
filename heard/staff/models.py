"""Models for this app live here when it needs any."""
