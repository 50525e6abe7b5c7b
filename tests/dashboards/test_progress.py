import io

from dashboards.progress import ProgressBar


def test_the_progress_bar_draws_share_and_count_on_one_line():
    stream = io.StringIO()
    bar = ProgressBar("import_dossiers", stream)

    bar(500, 1000)
    bar(1000, 1000)
    bar.close()

    text = stream.getvalue()
    assert text.startswith("\rimport_dossiers [")
    assert " 50.0%" in text
    assert "100.0%" in text
    assert "1,000" in text
    assert text.endswith("\n")
