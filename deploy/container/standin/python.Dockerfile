# A stand-in for python:3.11-slim, for scripts/container-check.sh on a machine that cannot
# pull from Docker Hub: Debian 12's own Python 3.11 on a Debian base built by the script.
# Only for checking the kit; the Dockerfile's real base is the official image.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3.11 python3.11-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The host's trust store, so pip and uv in the build trust what the host trusts (a proxy
# that inspects TLS has its own authority there).
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    UV_SYSTEM_CERTS=1
CMD ["python3.11"]
