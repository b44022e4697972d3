"""Pages and feeds from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from narrascope.errors import InputError
from narrascope.ingest.web import FetchPolicy, check_url
from tests.conftest import LocalServer, Route, article_html, cli_json

BODY = (
    "The state news agency reported on Monday that the soldiers had shown great courage in "
    "the liberation of the region, and that their deeds would be remembered.\n\n"
    "The report, which ran on the front page, quoted officers who praised the discipline and "
    "sacrifice of the troops. It did not say how many had been deployed.\n\n"
    "Independent observers said it was the first time the agency had mentioned the deployment "
    "at all, after months in which officials had denied it."
)


def _rss(server: LocalServer) -> bytes:
    long_text = "A feed entry with its whole article inside the feed. " * 8
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fictional Agency</title><link>{server.base}/</link>
<item><title>Soldiers praised</title><link>{server.url('/a1')}</link>
  <pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate><description>Teaser only.</description></item>
<item><title>Whole text in feed</title><link>{server.url('/gone')}</link>
  <pubDate>Wed, 04 Mar 2026 09:00:00 GMT</pubDate><description>{long_text}</description></item>
<item><title>Broken entry</title><link>{server.url('/gone2')}</link>
  <pubDate>Thu, 05 Mar 2026 09:00:00 GMT</pubDate><description>Too short.</description></item>
</channel></rss>""".encode()


def test_page_is_fetched_and_extracted(server: LocalServer, db: str) -> None:
    server.routes["/a1"] = Route(article_html("Soldiers praised", BODY, "2026-03-02"))
    code, out = cli_json(db, "ingest", server.url("/a1"), "--allow-private")
    assert code == 0, out
    with create_engine(f"sqlite:///{db}").connect() as conn:
        row = conn.execute(text("SELECT title, url, published, text FROM documents")).one()
    assert row.title == "Soldiers praised"
    assert row.url == server.url("/a1")
    assert row.published == "2026-03-02"
    assert "great courage" in row.text and "Home | World" not in row.text


def test_private_address_refused_by_default(server: LocalServer, db: str) -> None:
    server.routes["/a1"] = Route(article_html("Soldiers praised", BODY))
    code, out = cli_json(db, "ingest", server.url("/a1"))
    assert code == 1
    assert isinstance(out, dict)
    assert "--allow-private" in out["failed"][0]["error"]
    assert server.hits == []  # refused before any request was sent


@pytest.mark.parametrize("url", [
    "http://10.1.2.3/x", "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data",
    "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "file:///etc/passwd",
    "ftp://127.0.0.1/",
])
def test_check_url_refuses_private_and_non_http(url: str) -> None:
    with pytest.raises(InputError):
        check_url(url, FetchPolicy())


def test_redirects_are_followed_and_checked(server: LocalServer, db: str) -> None:
    server.routes["/old"] = Route(b"", status=301, headers={"Location": "/a1"})
    server.routes["/a1"] = Route(article_html("Soldiers praised", BODY))
    server.routes["/loop"] = Route(b"", status=302, headers={"Location": "/loop"})
    code, out = cli_json(db, "ingest", server.url("/old"), server.url("/loop"), "--allow-private")
    assert code == 1
    assert isinstance(out, dict)
    assert out["added"] == 1
    assert "redirects" in out["failed"][0]["error"]


def test_response_size_and_time_are_bounded(server: LocalServer, db: str) -> None:
    server.routes["/big"] = Route(article_html("Big", BODY * 200))
    server.routes["/slow"] = Route(article_html("Slow", BODY), delay=3)
    code, out = cli_json(db, "ingest", server.url("/big"), server.url("/slow"), "--allow-private",
                         "--max-bytes", "20000", "--timeout", "0.5")
    assert code == 1
    assert isinstance(out, dict)
    errors = {f["input"]: f["error"] for f in out["failed"]}
    assert "over 20,000 bytes" in errors[server.url("/big")]
    assert "timed out" in errors[server.url("/slow")]
    assert out["added"] == 0


def test_http_errors_and_non_articles_are_reported(server: LocalServer, db: str) -> None:
    server.routes["/empty"] = Route(b"<html><body></body></html>")
    code, out = cli_json(db, "ingest", server.url("/missing"), server.url("/empty"),
                         "--allow-private")
    assert code == 1
    assert isinstance(out, dict)
    errors = sorted(f["error"] for f in out["failed"])
    assert "HTTP 404" in errors[0]
    assert "no article text" in errors[1]


def test_feed_entries_become_documents(server: LocalServer, db: str, tmp_path: Path) -> None:
    server.routes["/feed.xml"] = Route(_rss(server), content_type="application/rss+xml")
    server.routes["/a1"] = Route(article_html("Soldiers praised", BODY))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "Fictional Agency"\nfeed = "{server.url("/feed.xml")}"\n'
        'kind = "state-media"\ncountry = "kp"\nlanguage = "en"\n', encoding="utf-8")
    code, out = cli_json(db, "ingest", "--sources", str(sources), "--allow-private")
    assert code == 1
    assert isinstance(out, dict)
    assert out["added"] == 2
    assert [f["input"] for f in out["failed"]] == [server.url("/gone2")]
    with create_engine(f"sqlite:///{db}").connect() as conn:
        rows = conn.execute(text(
            "SELECT d.title, d.published, s.name, s.kind, s.country FROM documents d "
            "JOIN sources s ON s.id = d.source_id ORDER BY d.published")).all()
    assert [(r.title, r.published) for r in rows] == [
        ("Soldiers praised", "2026-03-03"), ("Whole text in feed", "2026-03-04")]
    assert {(r.name, r.kind, r.country) for r in rows} == {("Fictional Agency", "state-media",
                                                            "KP")}
    # feeds again: nothing new
    _code, again = cli_json(db, "ingest", "--sources", str(sources), "--allow-private")
    assert isinstance(again, dict) and again["added"] == 0 and again["duplicates"] == 2


def test_malformed_feed_is_reported(server: LocalServer, db: str) -> None:
    server.routes["/bad.xml"] = Route(b"<?xml version='1.0'?><rss><channel><item><title>x",
                                      content_type="application/rss+xml")
    code, out = cli_json(db, "ingest", server.url("/bad.xml"), "--allow-private")
    assert code == 1
    assert isinstance(out, dict)
    assert out["added"] == 0
    assert out["failed"][0]["input"].startswith(server.url("/bad.xml"))


def test_slow_drip_response_hits_the_deadline(server: LocalServer, db: str) -> None:
    server.routes["/drip"] = Route(article_html("Drip", BODY), drip=0.1)
    code, out = cli_json(db, "ingest", server.url("/drip"), "--allow-private", "--timeout", "1")
    assert code == 1
    assert isinstance(out, dict)
    assert "timed out" in out["failed"][0]["error"]
