"""Full-text search over items, activity and companies."""
