"""Pure domain logic: no Django imports. Functions take the date they reason about (`as_at`)."""
