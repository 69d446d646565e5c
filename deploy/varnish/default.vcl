vcl 4.1;
# The edge in front of the app (README "The edge"). Varnish keeps exactly what
# the app tagged with surrogate keys (`xkey`), for its `s-maxage`; a committed
# revision PURGEs the keys it touched (edge/tasks.py), so a page is fresh the
# moment its purge lands and at most s-maxage old when no purge reaches us.
# Needs varnish-modules (vmod xkey). Checked by tests/edge/.

import std;
import var;
import xkey;

# A purge does not stop a fetch already on its way: a render that read the
# database before the commit (or a process's memo of the latest revision,
# EDGE_LATEST_MEMO_SECONDS) can reach us after the purge and would be kept for
# s-maxage. So each purge names the revision committed (X-Revision), the app
# names on each page the revision it was built after, and a page built before
# the last purged revision is delivered to its reader but not stored
# (tests/edge/test_freshness.py).

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 60s;
    # Healthy: serve a stale copy only for stale-while-revalidate; sick: for
    # stale-if-error (vcl_recv). The probe asks for the story list like a reader.
    .probe = {
        .request = "HEAD / HTTP/1.1"
                   "Host: localhost"
                   "X-Forwarded-Proto: https"
                   "Connection: close";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        .initial = 3;  # healthy from the start, not after three probes
    }
}

# Who may purge: the app's workers, on this host or the private network.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

# Memento (docs/memento.md): a page asked with Accept-Datetime is its own TimeGate
# and answers a 302 that depends on that header, so it is never looked up or
# stored under the URL alone; a Memento (`?as_of=`) is the same whatever the
# header says, so the header is dropped and every reader shares one object.
# Runs before the vcl_recv below (Varnish joins subroutines in file order).
sub vcl_recv {
    if (req.http.Accept-Datetime && (req.method == "GET" || req.method == "HEAD")) {
        if (req.url !~ "[?&]as_of=") {
            return (pass);
        }
        unset req.http.Accept-Datetime;
    }
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey) {
            return (synth(400, "PURGE needs an xkey header naming the surrogate keys"));
        }
        # A hard purge: the next reader gets the new revision, never a stale copy.
        set req.http.n-gone = xkey.purge(req.http.xkey);
        if (std.integer(req.http.X-Revision, 0) > std.integer(var.global_get("purged-revision"), 0)) {
            var.global_set("purged-revision", req.http.X-Revision);
        }
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # Live streams are held by Pushpin (the TLS proxy routes them there); one that
    # comes here anyway is never cached or buffered. gunicorn's sync workers answer
    # it at once (backlog, cursor, retry) instead of holding a worker (live/views.py).
    if (req.url ~ "^/stories/[^/]+/live" || req.url ~ "^/api/changes/stream") {
        return (pipe);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The public log as C2SP tiles (api/tiles.py): the same bytes for every
    # reader, so no cookie or credential keeps one from the shared copy. Full
    # tiles are immutable (kept for their max-age), the checkpoint and partial
    # tiles are purged by key (log-head) when a checkpoint is published.
    if (req.url ~ "^/log/") {
        unset req.http.Cookie;
        unset req.http.Authorization;
        return (hash);
    }
    # The desk, editors signed in (session), forms (CSRF) and API tokens are
    # someone's own: never stored, never served from the store.
    if (req.url ~ "^/admin/" || req.http.Authorization ||
        req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Any other cookie means nothing to the app; without it readers share objects.
    unset req.http.Cookie;
    if (std.healthy(req.backend_hint)) {
        # EDGE_STALE_WHILE_REVALIDATE's default: a stale copy only while it is refetched.
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_pipe {
    set bereq.http.Connection = "close";
}

sub vcl_backend_response {
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # The refetch of a stale copy failed: keep serving the copy (stale-if-error).
        return (abandon);
    }
    # The log's entry bundles are compressed here (tlog-tiles: SHOULD be, at the HTTP layer).
    if (bereq.url ~ "^/log/tile/entries/") {
        set beresp.do_gzip = true;
    }
    # Built from a state older than the last purge (see the top): this reader only.
    if (beresp.http.X-Revision &&
        std.integer(beresp.http.X-Revision, 0) < std.integer(var.global_get("purged-revision"), 0)) {
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    # Only what the app tagged is kept; the rest is passed (and remembered as such).
    if (!beresp.http.xkey || beresp.http.Set-Cookie ||
        beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # beresp.ttl is the s-maxage. Kept past it for stale-if-error (the app down)
    # and so an expired copy is revalidated with If-None-Match (a 304 refreshes it).
    set beresp.grace = std.duration(
        regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 0s);
    set beresp.keep = 1h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Surrogate keys and the revision a page was built after are for the edge only.
    unset resp.http.xkey;
    unset resp.http.X-Revision;
}
