"""Write the README's pictures of the dashboard app: the sample user's twelve weeks, shown by headless
chromium at a phone's width, in English and in Korean.

Usage::

    python -m bench.miniapp_screenshots docs/    # docs/miniapp.png and docs/miniapp.ko.png

Needs Debian's chromium and chromium-driver (``make test`` installs them) and, for the Korean picture, a
Korean font (``apt-get install fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from urllib.parse import quote

from bench.sample_user import sample_coach
from coach.messages import Identity
from tests.browser_support import full_page_png, headless_chromium, wait_for_state
from tests.webapp_support import running_webapp, signed_init_data

TELEGRAM_ID = 700100
ANSWERS = (
    "I could design a small landing zone on my own: two migrations at the bank taught me the network and "
    "identity parts. What I lack is cost work and infrastructure as code.",
    "The day-to-day of an architect is talking: I explained the DR plan to the board last year and they "
    "understood it. That is worth more than I thought.",
)
KOREAN_ANSWER = (
    "비용 최적화를 공부하니 은행에서 하던 예산 업무가 생각보다 쓸모 있었다. 다음 주에는 IaC 실습을 해 보자."
)
LIGHT = {"bg_color": "#ffffff", "secondary_bg_color": "#f1f3f5", "button_color": "#2b6cb0"}


def _shoot(url: str, path: Path) -> None:
    with headless_chromium(scale=1.5) as driver:
        driver.get(url)
        wait_for_state(driver, ("ready",))
        full_page_png(driver, path)


async def make_screenshots(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    who = Identity("telegram", str(TELEGRAM_ID), str(TELEGRAM_ID), language="en", display_name="Jihoon")
    written = []
    async with sample_coach(who) as (coach, driver, clock), running_webapp(coach) as server:
        for answer in ANSWERS:
            await driver.send(command="reflect")
            await driver.send(text=answer)
            await driver.press("4")
        for language, name in (("en", "miniapp.png"), ("ko", "miniapp.ko.png")):
            if language == "ko":  # the same person switches to Korean in /settings and writes once more
                await driver.send(command="settings")
                await driver.press("Language")
                await driver.press("한국어")
                await driver.send(command="reflect")
                await driver.send(text=KOREAN_ANSWER)
                await driver.press("3")
            init_data = signed_init_data(TELEGRAM_ID, clock.now, language=language, first_name="Jihoon")
            fragment = f"tgWebAppData={quote(init_data, safe='')}&tgWebAppThemeParams=" + quote(
                str(LIGHT).replace("'", '"'), safe=""
            )
            path = folder / name
            await asyncio.to_thread(_shoot, f"http://127.0.0.1:{server.port}/app/#{fragment}", path)
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("docs"))
    for path in asyncio.run(make_screenshots(parser.parse_args().folder)):
        print(path)


if __name__ == "__main__":
    main()
