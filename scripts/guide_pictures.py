"""Take the guides' pictures from a running portal, at phone size.

    PORT=8102 make run          # in another terminal: the demo portal
    .venv/bin/python scripts/guide_pictures.py http://127.0.0.1:8102

Writes procedures/static/procedures/guides/*.png. Needs Playwright and a Chromium
(CHROMIUM=/usr/bin/chromium by default). Run it again when the pages change.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "procedures/static/procedures/guides"
VIEWPORT = {"width": 360, "height": 640}

# name -> (path, CSS selector to capture, or "" for the top of the page)
PICTURES = {
    "home": ("/", ""),
    "login": ("/accounts/login/", ""),
    "header": ("/procedures/", "header.site-header"),
    "catalogue": ("/procedures/", ""),
    "search": (
        "/procedures/search/?q=khai+sinh",
        "section[aria-labelledby=results-heading]",
    ),
    "detail": ("/procedures/1.001193/", ""),
    "form": ("/procedures/1.001193/form/", "form.schema-form"),
    "linked": ("/procedures/2.002913/", "section[aria-labelledby=steps-heading]"),
}


def capture(page: Page, base: str, name: str, path: str, selector: str) -> None:
    page.goto(base + path)
    target = OUT / f"{name}.png"
    if not selector:
        page.screenshot(path=str(target))
        return
    box = page.locator(selector).first.bounding_box()
    if box is None:
        raise SystemExit(f"{selector} is not on {path}")
    # At most one screen of the element: a picture shows one thing.
    clip = {
        "x": box["x"],
        "y": box["y"],
        "width": box["width"],
        "height": min(box["height"], VIEWPORT["height"]),
    }
    page.screenshot(path=str(target), clip=clip, full_page=True)  # type: ignore[arg-type]


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                # Date inputs follow the browser's language: day/month/year.
                "--lang=vi-VN",
            ],
        )
        context = browser.new_context(
            viewport=VIEWPORT,  # type: ignore[arg-type]
            locale="vi-VN",
            extra_http_headers={"Accept-Language": "vi"},
        )
        page = context.new_page()
        for name, (path, selector) in PICTURES.items():
            capture(page, base.rstrip("/"), name, path, selector)
            print(f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8102")
