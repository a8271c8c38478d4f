"""TLS certificates made at test time: a private CA, a certificate it signs, and a self-signed one.

The fault suite serves a story over HTTPS on 127.0.0.1 with the self-signed
certificate (a TLS error editwatch must record), then with the CA's (the fault
ended: the CA is trusted through ``SSL_CERT_FILE``, as an operator would add one).
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Certificates:
    """PEM files in one directory."""

    ca: Path  # the CA's certificate: trust it with SSL_CERT_FILE
    signed: tuple[Path, Path]  # (certificate, key) for 127.0.0.1, signed by the CA
    self_signed: tuple[Path, Path]  # (certificate, key) for 127.0.0.1, signed by itself

    def context(self, which: tuple[Path, Path]) -> ssl.SSLContext:
        """A server context presenting ``which``."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*which)
        return context


def make_certificates(directory: Path, host: str = "127.0.0.1") -> Certificates:
    """Write a CA, a certificate for ``host`` it signs, and a self-signed one for ``host``."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "editwatch test CA")])
    usage = x509.KeyUsage(
        digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    ca_cert = (
        _builder(ca_name, ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    _write(directory / "ca.pem", ca_cert)

    def leaf(name: str, issuer: x509.Name, issuer_key) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        cert = (
            _builder(subject, issuer if issuer_key is not None else subject, key)
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(issuer_key if issuer_key is not None else key, hashes.SHA256())
        )
        cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
        _write(cert_path, cert)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cert_path, key_path

    return Certificates(
        ca=directory / "ca.pem",
        signed=leaf("signed", ca_name, ca_key),
        self_signed=leaf("self-signed", ca_name, None),
    )


def _builder(subject: x509.Name, issuer: x509.Name, key) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
    )


def _write(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
