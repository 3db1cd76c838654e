"""Write the README pictures from a sample user built through the real flows.

Usage::

    python -m bench.make_charts docs/      # docs/skills.png, docs/progress.png and docs/progress.ko.png
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench.sample_user import sample_coach


async def make_charts(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    async with sample_coach() as (_coach, driver, _clock):
        skills = driver.image()  # the second assessment's result, just rated
        await driver.send(command="progress")
        progress = driver.image()
        # The same user switches to Korean in /settings: the Korean picture comes from the same data.
        await driver.send(command="settings")
        await driver.press("Language")
        await driver.press("한국어")
        await driver.send(command="progress")
        progress_ko = driver.image()
    written = []
    for name, png in (("skills.png", skills), ("progress.png", progress), ("progress.ko.png", progress_ko)):
        path = folder / name
        path.write_bytes(png)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("docs"))
    for path in asyncio.run(make_charts(parser.parse_args().folder)):
        print(path)


if __name__ == "__main__":
    main()
