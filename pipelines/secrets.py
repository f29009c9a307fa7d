"""The remote server's API key lives in the OS keyring, never in the settings file or the log."""
from __future__ import annotations

from .errors import SensoriumError
from .settings import Settings

__all__ = ["get_api_key", "has_api_key", "set_api_key", "delete_api_key", "KEYRING_SERVICE"]

KEYRING_SERVICE = "sensorium"


def _account(settings: Settings) -> str:
    return f"remote:{settings.chat.remote_base_url.rstrip('/')}"


def get_api_key(settings: Settings) -> str | None:
    """The key for the configured server, or None (a server may need none)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _account(settings))
    except Exception:  # no keyring backend: the server may still work without a key
        return None


def has_api_key(settings: Settings) -> bool:
    """Whether the OS keyring holds a key for the configured server (asks only the local keyring;
    False when there is no usable keyring)."""
    return bool(get_api_key(settings))


def set_api_key(settings: Settings, key: str) -> None:
    try:
        import keyring

        if key:
            keyring.set_password(KEYRING_SERVICE, _account(settings), key)
        else:
            delete_api_key(settings)
    except Exception as e:
        raise SensoriumError(
            f"the API key could not be saved: no usable OS keyring ({type(e).__name__}); install and unlock a "
            "keyring service such as GNOME Keyring or KWallet") from None


def delete_api_key(settings: Settings) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _account(settings))
    except Exception:
        pass
