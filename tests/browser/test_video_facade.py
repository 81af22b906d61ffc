"""The video facade in Chromium (issue 16, item 4): no request leaves the
site before the reader presses play; Tab then Enter on the play button makes
the youtube-nocookie player, the first request to another host, and moves
focus to it. Without JavaScript, the poster and a plain link remain."""

from __future__ import annotations

from urllib.parse import urlsplit

from security.browsing import RECORD_VIOLATIONS

VIDEO_PAGE = "tin-tuc/2023/nhieu-nha-dau-tu-den-tim-hieu-co-hoi-dau-tu-vao-kcn-thanh-binh/"
TITLE = "Video minh họa: “Me at the zoo”, đoạn phim đầu tiên đăng trên YouTube (2005)"
PLAYER = "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1"
CLICK = "— the reader pressed Enter —"


def test_no_third_party_request_before_the_click(contexts, site):
    local = urlsplit(site.url).netloc
    seen: list[str] = []  # every request of the page and its frames, in order

    def record(route, request):
        seen.append(request.url)
        if urlsplit(request.url).netloc == local:
            route.continue_()
        else:
            route.abort()  # never reach YouTube, even after the click

    page = contexts(1280).new_page()
    try:
        page.add_init_script(RECORD_VIOLATIONS)  # the CSP must allow the player
        page.route("**/*", record)
        page.goto(site.url + VIDEO_PAGE, wait_until="networkidle")
        page.wait_for_timeout(500)  # late lazy loads, if any
        assert seen, "no request recorded"
        assert [u for u in seen if urlsplit(u).netloc != local] == []
        assert page.locator("figure.video iframe").count() == 0

        # The play button, reached with Tab like a keyboard user would.
        button = page.get_by_role("button", name=f"Phát video: {TITLE}")
        assert button.is_visible()  # video.js showed it
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.video__play')"):
                break
        else:
            raise AssertionError("Tab never reached the play button")
        seen.append(CLICK)
        with page.expect_request(lambda r: "youtube-nocookie" in r.url):
            page.keyboard.press("Enter")

        player = page.locator("figure.video iframe")
        player.wait_for()
        assert player.get_attribute("src") == PLAYER
        assert player.get_attribute("title") == TITLE
        assert page.evaluate("document.activeElement.tagName") == "IFRAME"
        assert page.locator("figure.video .video__play").count() == 0
        outside = [u for u in seen if u == CLICK or urlsplit(u).netloc != local]
        assert outside[0] == CLICK, outside
        assert urlsplit(outside[1]).netloc == "www.youtube-nocookie.com", outside
        assert outside[1] == PLAYER
        assert page.evaluate("window.__cspViolations") == []
    finally:
        page.close()


def test_without_javascript_the_link_remains(browser, site):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(site.url + VIDEO_PAGE, wait_until="load")
        figure = page.locator("figure.video")
        assert figure.locator(".video__play").is_hidden()  # it would do nothing
        assert figure.locator("picture img").is_visible()
        link = page.get_by_role("link", name=TITLE)
        assert link.is_visible()
        assert link.get_attribute("href") == "https://www.youtube.com/watch?v=jNQXAC9IVRw"
    finally:
        context.close()
