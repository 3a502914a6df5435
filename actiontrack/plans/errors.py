"""Errors services raise besides ValidationError (bad input) and PermissionDenied (wrong person)."""


class EditConflict(Exception):
    """Someone else saved this first. Carries what is stored now, so the view can show both versions."""

    def __init__(self, what: str, current: dict, current_version: int):
        super().__init__(f"{what} was changed by someone else while you were editing it.")
        self.current = current
        self.current_version = current_version
