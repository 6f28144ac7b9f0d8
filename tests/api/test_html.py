"""``POST /v1/articles`` with ``html``: the page's main text is what is stored and tagged."""

from __future__ import annotations

from flask.testing import FlaskClient

from .problems import field_errors

PAGE = """<html><head><title>Talks resume</title></head><body>
<nav>Home | World | Sport on Saturday</nav>
<article><h1>Talks resume</h1>
<p>The Afghan army clashed with Taliban fighters in Spin Boldak on Friday after they launched
an operation to retake a border crossing.</p>
<p>Islamabad announced that it would postpone the summit until after the upcoming Muslim
Eid al-Adha.</p></article>
<footer>Copyright 2019 The Paper</footer></body></html>"""


def test_the_main_text_is_stored_and_offsets_index_it(client: FlaskClient) -> None:
    response = client.post("/v1/articles", json={"html": PAGE, "published_at": "2021-07-17"})
    assert response.status_code == 201
    text = response.get_json()["text"]
    assert "Spin Boldak on Friday" in text
    assert "<p>" not in text and "Home | World" not in text and "Copyright" not in text
    mentions = client.get(response.headers["Location"] + "/mentions").get_json()["timexes"]
    assert [m["value"] for m in mentions] == ["2021-07-16", "2021-07-20"]
    for m in mentions:
        assert text[m["start"] : m["end"]] == m["text"]


def test_a_page_without_main_text_is_refused(client: FlaskClient) -> None:
    response = client.post("/v1/articles", json={"html": "<p></p>", "published_at": "2021-07-17"})
    assert set(field_errors(response, "json")) == {"html"}


def test_text_and_html_together_are_refused(client: FlaskClient) -> None:
    body = {"text": "On Friday.", "html": PAGE, "published_at": "2021-07-17"}
    assert set(field_errors(client.post("/v1/articles", json=body), "json")) == {"text"}


def test_neither_text_nor_html_is_refused(client: FlaskClient) -> None:
    response = client.post("/v1/articles", json={"published_at": "2021-07-17"})
    assert set(field_errors(response, "json")) == {"text"}
