def seed(*, rng, counts=None, stdout=None) -> int:
    """Demo data of the app, marked as demo; safe to run again. Returns how many rows were made."""
    return 0
