"""Sensorium benchmarks: measured figures, not tests (pytest does not collect this package).

``python -m benchmarks.run --device cpu`` (``make bench``) measures every stage on the offline
packs and tiny random models here; ``--device cuda`` (``make bench-gpu``) on real-size
architectures with random weights (see ``benchmarks.gpu_models``). Each run writes
``benchmarks/results/<device>-<date>.json`` and prints a Markdown table.
"""

__all__: list[str] = []
