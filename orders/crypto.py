"""The MultiFernet helpers live in ``common.crypto`` (notifications seals link
tokens with them too); kept importable from here."""

from common.crypto import secret_decrypt, secret_encrypt, secret_rotate

__all__ = ["secret_decrypt", "secret_encrypt", "secret_rotate"]
