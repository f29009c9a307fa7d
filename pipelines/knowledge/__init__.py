"""What Sensorium knows beyond the models: the user's documents and the memories they asked it to keep."""

__all__ = []
