"""The `sensorium` console script (and the PyInstaller bundle's entry point).

With no subcommand it opens the window; with a subcommand it runs headless through
pipelines.cli and never imports Qt. ``--self-test`` checks the installed app end to end
(desktop.selftest). This module imports neither Qt nor any model library.
"""
from __future__ import annotations

import os
import sys

__all__ = ["main"]

SELF_TEST_HELP = ("check this installation and exit: open the window (offscreen without a display) on a temporary "
                  "profile, run one chat turn on the offline chat model and one say -> transcribe round trip; one "
                  "line per check, exit status 0 only if all pass")


def main(argv: list[str] | None = None) -> int:
    from pipelines.devices import tune_cpu_runtimes

    tune_cpu_runtimes()  # before numpy and CTranslate2 load
    from pipelines import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = cli.build_parser()
    parser.add_argument("--self-test", action="store_true", help=SELF_TEST_HELP)
    args = parser.parse_args(argv)
    if args.self_test:
        if args.command is not None:
            parser.error("--self-test takes no command")
        from desktop.selftest import main as self_test  # Qt and the models are imported only there

        return self_test(args, os.environ)
    profile = cli.profile_from_args(args, os.environ)
    if args.command is None:
        from pipelines.settings import load_settings

        loaded = load_settings(profile.settings_file)
        from desktop.app import main as app_main  # Qt is imported only here

        return app_main(argv, profile, loaded.problems)
    return cli.run(args, profile)


if __name__ == "__main__":
    raise SystemExit(main())
