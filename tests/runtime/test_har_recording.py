"""A recorded HAR is rewritten without cookies, credentials or secret values, readable by its owner only."""

from __future__ import annotations

import json
import stat

from rpa.runtime.har_recording import scrub_har, scrub_or_remove


def entry(url: str, *, request_headers=(), response_headers=(), post=None, body="") -> dict:
    request = {"method": "POST" if post else "GET", "url": url, "headers": list(request_headers),
               "cookies": [{"name": "JSESSIONID", "value": "sess-abcdef123"}]}
    if post:
        request["postData"] = post
    return {"request": request,
            "response": {"status": 200, "headers": list(response_headers), "cookies": [],
                         "content": {"mimeType": "text/html", "text": body}}}


class TestScrubHar:
    def test_cookies_credentials_and_secrets_are_gone(self, tmp_path):
        har = tmp_path / "sol_1-1.har"
        entries = [
            entry("http://wf/osmanager-tenant/login/auth",
                  post={"mimeType": "application/x-www-form-urlencoded", "text": "username=robo&password=hunter2",
                        "params": [{"name": "password", "value": "hunter2"}]}),
            entry("http://zd/api/v2/tickets/1", request_headers=[{"name": "Cookie", "value": "zd_session=tok-998877"},
                                                                 {"name": "Accept", "value": "*/*"}],
                  response_headers=[{"name": "Set-Cookie", "value": "zd_session=tok-998877; Path=/"}],
                  post={"mimeType": "application/json", "text": json.dumps({"ticket": {"token": "t-1", "n": 2}})},
                  body="echo tok-998877 and sess-abcdef123 and hunter2"),
        ]
        har.write_text(json.dumps({"log": {"entries": entries}}), encoding="utf-8")
        assert scrub_har(har, ["hunter2"])
        text = har.read_text(encoding="utf-8")
        for secret in ("hunter2", "tok-998877", "sess-abcdef123"):
            assert secret not in text
        login, api = json.loads(text)["log"]["entries"]
        assert login["request"]["postData"]["text"] == "" and login["request"]["postData"]["params"] == []
        assert [h["name"] for h in api["request"]["headers"]] == ["Accept"]
        assert api["response"]["headers"] == [] and api["request"]["cookies"] == []
        assert json.loads(api["request"]["postData"]["text"]) == {"ticket": {"token": "***", "n": 2}}
        assert api["response"]["content"]["text"] == "echo *** and *** and ***"
        assert stat.S_IMODE(har.stat().st_mode) == 0o600

    def test_an_unreadable_har_is_removed_not_kept(self, tmp_path):
        har = tmp_path / "broken.har"
        har.write_text("{ not json", encoding="utf-8")
        scrub_or_remove(har, ["hunter2"])
        assert list(tmp_path.iterdir()) == []
        assert scrub_har(tmp_path / "missing.har") is False


SECRET = 'Wf S3cr3t"q\\x<&>\'%+/'


class TestScrubHarEncodings:
    """The secret in every shape a HAR may hold it: URL-encoded in a URL or a form body,
    in a multipart field, in JSON lists and dicts under a sensitive key, in a base64 body."""

    def test_no_form_of_the_secret_survives(self, tmp_path):
        import base64
        from urllib.parse import quote, quote_plus

        from rpa.runtime.scrubbing import forms

        multipart = ('--XyZ\r\nContent-Disposition: form-data; name="user"\r\n\r\nrobo\r\n'
                     '--XyZ\r\nContent-Disposition: form-data; name="password"\r\n\r\nsegredo-sem-lista\r\n--XyZ--\r\n')
        entries = [
            entry(f"http://wf/api/x?senha={quote(SECRET, safe='')}&q={quote_plus(SECRET)}"),
            entry("http://wf/serviceOrder/save", post={"mimeType": "application/x-www-form-urlencoded",
                                                       "text": f"nota={quote_plus('abc ' + SECRET)}&x=1"}),
            entry("http://zd/api/upload", post={"mimeType": "multipart/form-data; boundary=XyZ", "text": multipart}),
            entry("http://zd/api/v2/x", post={"mimeType": "application/json", "text": json.dumps(
                {"a": [{"api_token": ["t1", "t2"]}, {"password": {"old": "p-old", "new": "p-new"}}]})}),
        ]
        body = base64.b64encode(f"<p>eco: {SECRET}</p>".encode()).decode()
        entries.append(entry("http://zd/blob"))
        entries[-1]["response"]["content"] = {"mimeType": "application/octet-stream", "encoding": "base64",
                                              "text": body}
        har = tmp_path / "x.har"
        har.write_text(json.dumps({"log": {"entries": entries}}), encoding="utf-8")
        assert scrub_har(har, [SECRET])
        text = har.read_text(encoding="utf-8")
        for form in forms(SECRET):
            assert form not in text, form
        for leftover in ("segredo-sem-lista", "t1", "p-old", "p-new"):
            assert leftover not in text
        scrubbed = json.loads(text)["log"]["entries"]
        assert "robo" in scrubbed[2]["request"]["postData"]["text"]
        assert base64.b64decode(scrubbed[4]["response"]["content"]["text"]) == b"<p>eco: ***</p>"
