"""Create forms that a resubmit cannot apply twice (a key per rendered form)."""
