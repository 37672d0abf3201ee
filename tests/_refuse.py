"""The check every refusal test makes: the call raises the expected error, whose message names
the argument and what it got."""

import pytest


def refuses(exc, fn, *args, names=(), **kwargs):
    """Call fn(*args, **kwargs), expect ``exc``, and require every string of ``names`` in its message."""
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    for name in names:
        assert name in message, f"message {message!r} does not name {name!r}"
    return message
