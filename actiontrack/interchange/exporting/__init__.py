"""A plan as an Excel tracker, a CSV file or a complete JSON copy; each format is loaded only when used, through
../registry.py."""
