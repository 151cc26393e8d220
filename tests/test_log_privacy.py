"""workbook.log_privacy: secrets and kernel ids never reach a log line, a traceback or a warning."""

from __future__ import annotations

import io
import logging
import sys
import warnings

from workbook.log_privacy import HIDDEN, scrub, scrub_record

KERNEL = "c00dfd40-f6a1-4b2c-9d3e-6bcbd5e84a3c"


def test_scrub_hides_secret_query_values_and_cuts_kernel_ids() -> None:
    line = (
        f"404 GET /voila/render/x.ipynb?token=T0KEN&wb=ours&code=JOINCODE&key=K3Y (1.2.3.4) "
        f"/api/kernels/{KERNEL}/channels?session_id=S3SS&_xsrf=X5RF "
        "next=%2Fvoila%2Frender%2Fy%3Ftoken%3DENC0DED%26wb%3Dours "
        "{'Authorization': 'token H3ADER'}"
    )
    clean = scrub(line)
    for secret in ("T0KEN", "JOINCODE", "K3Y", "S3SS", "X5RF", "ENC0DED", "H3ADER", KERNEL):
        assert secret not in clean, clean
    assert f"token={HIDDEN}" in clean
    assert "wb=ours" in clean, "harmless parameters stay readable"
    assert "c00dfd40…" in clean, "kernels can still be told apart"
    assert scrub("barcode=1 monkey=2") == "barcode=1 monkey=2", "only whole parameter names"


def test_a_record_with_a_traceback_is_scrubbed() -> None:
    try:
        raise RuntimeError(f"failed for /logout?token=T0KEN and kernel {KERNEL}")
    except RuntimeError:
        exc_info = sys.exc_info()
    args = ("GET /?code=C0DE",)
    name, level = "tornado.application", logging.ERROR
    record = logging.LogRecord(name, level, __file__, 1, "Uncaught %s", args, exc_info)
    scrub_record(record)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.handle(record)
    text = stream.getvalue()
    assert "Uncaught GET /?code=" in text
    assert "RuntimeError" in text, "the traceback itself is kept"
    for secret in ("T0KEN", "C0DE", KERNEL):
        assert secret not in text, text


def test_install_scrubs_every_logger_and_warnings() -> None:
    from workbook import log_privacy

    old_factory, old_format = logging.getLogRecordFactory(), warnings.formatwarning
    stream = io.StringIO()
    logger = logging.getLogger("test-log-privacy")
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    try:
        log_privacy._installed = False
        log_privacy.install()
        logger.warning("GET %s", "/voila/render/a.ipynb?key=FAC1LITATOR")
        warned = warnings.formatwarning("see http://x/?token=T0KEN", UserWarning, "f.py", 1)
    finally:
        logging.setLogRecordFactory(old_factory)
        warnings.formatwarning = old_format
        log_privacy._installed = False
    assert "FAC1LITATOR" not in stream.getvalue()
    assert f"key={HIDDEN}" in stream.getvalue()
    assert "T0KEN" not in warned


def test_step_8_is_never_named_in_the_log() -> None:
    """Step 8 leaves no trace anyone else can see: the terminal of a shared laptop included."""
    from workbook.steps import WALK_AWAY

    line = f"Using pre-heated kernel: 2a2cb7e6… for {WALK_AWAY.notebook}"
    access = "200 GET /voila/render/08_walk_away.ipynb?wb=ours&who=a (127.0.0.1) 12ms"
    for text in (line, access, f"{WALK_AWAY.notebook} 08_walk_away"):
        assert "walk" not in scrub(text).lower(), scrub(text)
    assert "for a page" in scrub(line)
    assert "03_empathy_patience.ipynb" in scrub("for 03_empathy_patience.ipynb"), "others stay"
