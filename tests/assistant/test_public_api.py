"""The package's curated public API."""

from __future__ import annotations

import importlib

import assistant
from assistant import errors


def test_every_exported_name_exists() -> None:
    assert assistant.__all__, "the package exports something"
    assert len(set(assistant.__all__)) == len(assistant.__all__)
    missing = [name for name in assistant.__all__ if not hasattr(assistant, name)]
    assert missing == []


def test_exports_are_the_library_objects() -> None:
    types = importlib.import_module("assistant.types")
    config = importlib.import_module("assistant.config")
    assert assistant.Answer is types.Answer
    assert assistant.Citation is types.Citation
    assert assistant.Settings is config.Settings
    assert assistant.get_settings is config.get_settings
    assert assistant.BriefingError is errors.BriefingError


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from assistant import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(assistant.__all__)


def test_every_library_error_is_a_briefing_error() -> None:
    classes = [
        obj
        for obj in vars(errors).values()
        if isinstance(obj, type)
        and issubclass(obj, Exception)
        and obj.__module__ == "assistant.errors"
    ]
    assert len(classes) >= 8
    assert all(issubclass(cls, errors.BriefingError) for cls in classes)


def test_the_facade_is_public_and_loaded_on_first_use() -> None:
    """`import assistant` must stay light (a CLI's --help, a script reading Settings); the façade
    arrives with its first use."""
    import subprocess
    import sys

    code = (
        "import sys, assistant\n"
        "light = 'assistant.assistant' not in sys.modules and 'chromadb' not in sys.modules\n"
        "assert 'Assistant' in dir(assistant)  # listed before it is loaded\n"
        "light = light and 'assistant.assistant' not in sys.modules\n"
        "from assistant.assistant import Assistant as Facade\n"
        "print(light, assistant.Assistant is Facade)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True"]
