"""Learning from the user's ratings: a LoRA adapter for the chat model, trained here and switched on
only when it passes an evaluation gate.

* ``ratings``: the rated replies of the history as preference pairs (DPO) or good replies (SFT), with a
  deterministic held-out slice;
* ``train``: LoRA (peft) on the chat model's safetensors weights, DPO or SFT losses written out here
  (no trl), progress per step and cancel between steps;
* ``evaluate``: the gate (the held-out ratings and a fixed sanity set, base against adapter);
* ``adapters``: the registry of trained adapters per chat model, which one is on;
* ``session``: the whole run the engine and the command line start.

Importing this package is cheap: torch and peft are imported by the functions that need them.
"""
from __future__ import annotations

__all__: list[str] = []
