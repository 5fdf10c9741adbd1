"""Work within the size limit is bounded: one side of a comparison may have so many sentences."""

import pytest

import unspun
from unspun.errors import InputError, LimitError


def test_a_side_over_the_sentence_limit_is_refused_before_any_embedding(seeds, monkeypatch):
    monkeypatch.setenv("UNSPUN_MAX_SENTENCES", "5")
    calls = []
    with pytest.raises(LimitError) as caught:
        unspun.compare(*seeds, progress=lambda done, total: calls.append(done))
    message = str(caught.value)
    assert "press-release.txt" in message and "over the limit of 5" in message
    assert "UNSPUN_MAX_SENTENCES" in message and "\n" not in message
    assert calls == []  # refused before the embedding started


def test_the_limit_must_be_a_positive_whole_number(seeds, monkeypatch):
    monkeypatch.setenv("UNSPUN_MAX_SENTENCES", "-1")
    with pytest.raises(InputError, match="UNSPUN_MAX_SENTENCES"):
        unspun.compare(*seeds)


def test_progress_starts_at_zero_so_a_long_input_shows_its_bar_at_once(seeds):
    calls = []
    unspun.compare(*seeds, progress=lambda done, total: calls.append((done, total)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0


def test_long_work_is_announced_even_without_a_terminal(capsys, monkeypatch):
    """The expectation is the first batch's pace: 128 of 24,000 sentences in 1 s is some three
    minutes to go; the same in 0.01 s is nothing to say."""
    from unspun.cli import progress as progress_module

    clock = iter([100.0, 100.01, 200.0, 201.0, 202.0])
    monkeypatch.setattr(progress_module, "_clock", lambda: next(clock))
    with progress_module.progress_bar() as progress:
        progress(0, 24_000)
        progress(128, 24_000)
    assert capsys.readouterr().err == ""
    with progress_module.progress_bar() as progress:
        progress(0, 24_000)
        progress(128, 24_000)
        progress(256, 24_000)  # said once
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "embedding 24,000 sentences" in err and "about 3 min more" in err
