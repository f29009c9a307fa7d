"""API keys for serving engines live in the OS keyring, never in the settings file or the log.

A key belongs to a server address (``remote:<base_url>``), so the roles that share a server share
its key, and a key typed for one server is never sent to another.
"""
from __future__ import annotations

from .errors import SensoriumError
from .settings import Settings

__all__ = ["get_api_key", "has_api_key", "set_api_key", "delete_api_key", "account_for", "KEYRING_SERVICE"]

KEYRING_SERVICE = "sensorium"


def account_for(base_url: str) -> str:
    return f"remote:{base_url.strip().rstrip('/')}"


def _url(settings: Settings, role: str) -> str:
    return settings.section(f"servers.{role}").base_url


def get_api_key(settings: Settings, role: str = "chat") -> str | None:
    """The key for the server ``role`` names, or None (a server may need none)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, account_for(_url(settings, role)))
    except Exception:  # no keyring backend: the server may still work without a key
        return None


def has_api_key(settings: Settings, role: str = "chat") -> bool:
    """Whether the OS keyring holds a key for the role's server (asks only the local keyring;
    False when there is no usable keyring)."""
    return bool(get_api_key(settings, role))


def set_api_key(settings: Settings, key: str, role: str = "chat") -> None:
    try:
        import keyring

        if key:
            keyring.set_password(KEYRING_SERVICE, account_for(_url(settings, role)), key)
        else:
            delete_api_key(settings, role)
    except Exception as e:
        raise SensoriumError(
            "the API key could not be saved: no usable OS keyring ({kind}); install and unlock a "
            "keyring service such as GNOME Keyring or KWallet", code="secrets.no_keyring",
            kind=type(e).__name__) from None


def delete_api_key(settings: Settings, role: str = "chat") -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, account_for(_url(settings, role)))
    except Exception:
        pass
