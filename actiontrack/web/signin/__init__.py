"""Signing in and passwords: changing your own, "Forgotten your password?", and setting one from an e-mailed
link."""
