"""Reading a file into a plan: refused or parsed (no database access), then previewed, applied through the plan
services, or restored from a JSON export (service.py chooses). Each format's parser is loaded only when used,
through ../registry.py."""
