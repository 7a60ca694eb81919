"""The PII vault: sealing and opening originals, keys from the environment, clear errors for wrong keys, and
unmasking a masked text."""

from __future__ import annotations

import pytest

from graphrag.errors import ConfigError
from graphrag.privacy import PLACEHOLDER_RE, PiiMasker, PiiVault


@pytest.fixture(scope="module")
def vault() -> PiiVault:
    return PiiVault(PiiVault.generate_key())


def test_seal_and_open_round_trip(vault: PiiVault) -> None:
    for original in ("anna@example.com", "Zoë Ångström", ""):
        token = vault.seal(original)
        assert original not in token or not original
        assert vault.open(token) == original
    assert vault.seal("x") != vault.seal("x")  # tokens carry a fresh IV


def test_a_key_may_be_text_or_bytes_and_is_never_shown() -> None:
    key = PiiVault.generate_key()
    token = PiiVault(key).seal("secret")
    assert PiiVault(key.encode() + b"\n").open(token) == "secret"
    assert key not in repr(PiiVault(key))


def test_a_wrong_key_or_a_damaged_token_is_a_clear_error(vault: PiiVault) -> None:
    token = vault.seal("secret")
    other = PiiVault(PiiVault.generate_key())
    with pytest.raises(ConfigError, match="sealed under another key, or it is damaged"):
        other.open(token)
    with pytest.raises(ConfigError, match="damaged"):
        vault.open(token[:-4] + "AAAA")
    with pytest.raises(ConfigError, match="damaged"):
        vault.open("not a token ✗")


@pytest.mark.parametrize("key", ["", "short", "A" * 44, b"\x00" * 32])
def test_an_invalid_key_is_a_config_error(key: str | bytes) -> None:
    with pytest.raises(ConfigError, match="not a valid Fernet key"):
        PiiVault(key)


def test_from_env() -> None:
    key = PiiVault.generate_key()
    assert PiiVault.from_env(environ={}) is None
    assert PiiVault.from_env(environ={"GRAPHRAG_PII_KEY": "  "}) is None
    from_env = PiiVault.from_env(environ={"GRAPHRAG_PII_KEY": key + "\n"})
    assert from_env is not None and from_env.open(PiiVault(key).seal("x")) == "x"
    assert PiiVault.from_env("MY_KEY", environ={"MY_KEY": key}) is not None
    with pytest.raises(ConfigError, match="environment variable MY_KEY does not hold a valid Fernet key") as err:
        PiiVault.from_env("MY_KEY", environ={"MY_KEY": "not-a-key"})
    assert "not-a-key" not in str(err.value)


def test_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPHRAG_PII_KEY", raising=False)
    assert PiiVault.from_env() is None
    monkeypatch.setenv("GRAPHRAG_PII_KEY", PiiVault.generate_key())
    assert isinstance(PiiVault.from_env(), PiiVault)


def test_the_placeholder_key_is_derived_and_stable() -> None:
    key = PiiVault.generate_key()
    one, same, other = PiiVault(key), PiiVault(key), PiiVault(PiiVault.generate_key())
    assert len(one.placeholder_key) == 32
    assert one.placeholder_key == same.placeholder_key != other.placeholder_key
    assert key.encode() not in one.placeholder_key
    a = PiiMasker(placeholder_key=one.placeholder_key).mask("Mail a@x.io")
    b = PiiMasker(placeholder_key=same.placeholder_key).mask("Write to A@X.IO today")
    assert a.spans[0].placeholder == b.spans[0].placeholder


def test_unmask_puts_back_sealed_originals_only(vault: PiiVault) -> None:
    text = "Anna Nowak (anna@x.org, +44 20 7946 0958) paid with 4111 1111 1111 1111; anna@x.org again."
    masked = PiiMasker(person_finder=lambda t: [(0, 10)], placeholder_key=vault.placeholder_key).mask(text)
    sealed = vault.seal_spans(masked)
    assert set(sealed) == {s.placeholder for s in masked.spans} and len(sealed) == 4
    assert all(text not in token for token in sealed.values())
    assert vault.unmask(masked.text, sealed) == text
    email = next(s.placeholder for s in masked.spans if s.kind == "EMAIL")
    partial = {k: v for k, v in sealed.items() if k != email}
    assert vault.unmask(masked.text, partial).count(email) == 2
    assert vault.unmask("kept: [EMAIL_1] and [NOT a placeholder]", sealed) == "kept: [EMAIL_1] and [NOT a placeholder]"
    assert PLACEHOLDER_RE.search(masked.text)


def test_unmask_with_tokens_of_another_key_fails_clearly(vault: PiiVault) -> None:
    other = PiiVault(PiiVault.generate_key())
    masked = PiiMasker().mask("a@x.io")
    with pytest.raises(ConfigError, match="another key"):
        vault.unmask(masked.text, other.seal_spans(masked))
