"""Serving engines: each role's client for an OpenAI-compatible server, behind the role's own
Protocol, so the engine, the voice loop and the command line use a remote role exactly as a local
one (the model manager hands out either).

| role | endpoint | client |
|---|---|---|
| chat | ``POST /chat/completions`` (streamed) | ``chat.OpenAIChat`` |
| asr | ``POST /audio/transcriptions`` | ``asr.RemoteTranscriber`` |
| tts | ``POST /audio/speech`` | ``tts.RemoteSpeech`` |
| embed | ``POST /embeddings`` | ``embed.RemoteEmbedder`` |
| imagegen | ``POST /images/generations`` | ``imagegen.RemoteImageGenerator`` |
| vlm | ``POST /chat/completions`` with image parts | ``vlm.RemoteVlm`` |

Nothing here runs unless a role names a server (``[servers.<role>]`` in the settings); each
client module is imported only when its role is opened.
"""
from __future__ import annotations

import importlib
from typing import Any

from ..settings import SERVER_ROLES, Settings
from .http import RemoteClient, ServerConfig

__all__ = ["ServerConfig", "RemoteClient", "SERVER_ROLES", "config_for", "open_role", "list_models"]

_CLIENTS = {"chat": ("chat", "OpenAIChat"), "asr": ("asr", "RemoteTranscriber"), "tts": ("tts", "RemoteSpeech"),
            "embed": ("embed", "RemoteEmbedder"), "imagegen": ("imagegen", "RemoteImageGenerator"),
            "vlm": ("vlm", "RemoteVlm")}


def config_for(settings: Settings, role: str, api_key: str | None = None) -> ServerConfig | None:
    """The serving engine ``role`` uses, or None when it runs on this computer."""
    s = settings.server(role)
    if s is None:
        return None
    return ServerConfig(role=role, base_url=s.base_url.strip(), model=s.model.strip(), api_key=api_key or None,
                        timeout_s=float(s.timeout_s), retries=int(s.retries))


def client_class(role: str) -> type:
    if role not in _CLIENTS:
        raise ValueError(f"the {role} role cannot run on a server (roles that can: {', '.join(SERVER_ROLES)})")
    module, name = _CLIENTS[role]
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def open_role(config: ServerConfig, *, settings: Settings | None = None, **options: Any) -> Any:
    """The role's client for ``config`` (no network call until it is used)."""
    return client_class(config.role)(config, settings=settings, **options)


def list_models(config: ServerConfig, *, cancel: Any = None) -> list[str]:
    """The models the server offers (``GET /models``); raises a one-line ModelUnavailable."""
    client = RemoteClient(ServerConfig(config.role, config.base_url, config.model or "-", config.api_key,
                                       config.timeout_s, config.retries))
    try:
        return client.list_models(cancel=cancel)
    finally:
        client.close()
