#!/usr/bin/env bash
# Debian packages the tests and benchmarks need: Chromium (browser tests),
# wrk (load), a Java runtime (the HTML validator), Pushpin (live streams: the
# GRIP proxy that holds SSE connections), Varnish with varnish-modules (the edge
# cache and its xkey purges); tests and bench start their own. Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v wrk >/dev/null || need+=(wrk)
command -v java >/dev/null || need+=(default-jre-headless)
command -v npm >/dev/null || need+=(npm)  # the browser libraries (Makefile: static/vendor)
command -v pushpin >/dev/null || need+=(pushpin)
[ -x /usr/sbin/varnishd ] || command -v varnishd >/dev/null || need+=(varnish)
ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1 || need+=(varnish-modules)
if [ ${#need[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${need[*]}"
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
