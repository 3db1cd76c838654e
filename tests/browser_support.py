"""Debian's chromium, headless, driven by Selenium through Debian's chromedriver, at a phone's width.

``make test`` installs both packages when they are missing (see the Makefile). The browser resolves no
host but 127.0.0.1, so the page is shown exactly as it would be with no other server reachable (Telegram's
own script from telegram.org included).
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE_WIDTH = 360
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


def missing() -> str | None:
    """What is not installed, in words, or ``None``."""
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    return (
        f"{' and '.join(absent)} missing: `make test` installs chromium and chromium-driver"
        if absent
        else None
    )


@contextmanager
def headless_chromium(
    *, width: int = PHONE_WIDTH, height: int = 780, scale: float = 1.0
) -> Iterator[WebDriver]:
    """A fresh browser (its own profile folder, removed afterwards) showing pages ``width`` CSS pixels wide."""
    problem = missing()
    if problem:
        raise RuntimeError(problem)
    profile = tempfile.mkdtemp(prefix="encore-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": scale}}
    )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(15)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for_state(driver: WebDriver, states: tuple[str, ...], timeout: float = 10.0) -> str:
    """Wait until the page says it is in one of ``states`` (``body[data-state]``); returns the state."""
    state: str = WebDriverWait(driver, timeout).until(
        lambda d: (s := d.execute_script("return document.body.dataset.state")) in states and s
    )
    return state


def first_paint_ms(driver: WebDriver) -> float:
    """When the browser first painted content, in ms after navigation started."""
    value = driver.execute_script(
        "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : -1"
    )
    return float(value)


def full_page_png(driver: WebDriver, path: Path, *, max_height: int = 2600) -> None:
    """A screenshot of the whole page (up to ``max_height`` CSS pixels), not just the viewport."""
    width = int(driver.execute_script("return document.documentElement.clientWidth"))
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), max_height)
    scale = float(driver.execute_script("return window.devicePixelRatio"))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": True},
    )
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
    path.write_bytes(base64.b64decode(shot["data"]))
