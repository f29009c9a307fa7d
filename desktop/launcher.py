"""The `sensorium` console script.

With no subcommand it opens the window; with a subcommand it runs headless through
pipelines.cli and never imports Qt. This module imports neither Qt nor any model library.
"""
from __future__ import annotations

import os
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    from pipelines import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    profile = cli.profile_from_args(args, os.environ)
    if args.command is None:
        from pipelines.settings import load_settings

        loaded = load_settings(profile.settings_file)
        from desktop.app import main as app_main  # Qt is imported only here

        return app_main(argv, profile, loaded.problems)
    return cli.run(args, profile)


if __name__ == "__main__":
    raise SystemExit(main())
