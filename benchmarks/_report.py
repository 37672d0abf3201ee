"""What every benchmark does with its result: print the Markdown text, and write it to a file when asked."""

from pathlib import Path


def emit(text: str, path=None) -> None:
    print(text)
    if path:
        Path(path).write_text(text.rstrip("\n") + "\n")
