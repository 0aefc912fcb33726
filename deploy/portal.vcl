vcl 4.1;
# The portal's HTTP cache (Varnish 7, Debian's package `varnish`), in front of two or more
# gunicorn app servers and the S3-compatible store that holds the media.
#
# The rules, and why:
# * Anonymous pages are kept exactly as long as the site's `Cache-Control: s-maxage` says: never
#   past the next scheduled change (portal/caching/pages.py). A response without a lifetime, or
#   that sets a cookie, is never stored.
# * A request with a session cookie (staff) or a reader-preference cookie (contrast, text size)
#   always goes to an app server: those pages are made for one person.
# * Tracking parameters (utm_*, fbclid, gclid...) and tracking cookies (_ga, _gid, _fbp...) are
#   stripped before the cache, so /?utm_source=x is the stored page /.
# * Every change of the site sends a BAN from an app server (portal/caching/edge.py); BAN is
#   accepted from the addresses in the `app_servers` ACL only.
# * Stale pages are served only while no app server is healthy (grace); at any other time a page
#   past its lifetime is fetched again before it is served.
# * /media/ is read from the S3 bucket; documents' files there are served as attachments.
# * X-Varnish and Age stay on responses: anyone can see a hit (two numbers in X-Varnish).
#
# What differs between sites (app servers, probe, bucket, the ACL, the error page) is in
# portal-site.vcl, found on varnishd's vcl_path: deploy/portal-site.vcl is the example for
# production; `make cluster` writes its own (scripts/cluster.py).

import std;
import directors;

include "portal-site.vcl";

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ app_servers) {
            return (synth(403, "Forbidden"));
        }
        # Lurker-friendly (obj.* only): Varnish drops the banned objects in the background.
        ban("obj.http.X-Portal-Host == " + regsub(std.tolower(req.http.host), ":[0-9]+$", ""));
        return (synth(200, "Banned"));
    }
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }
    # Plain HTTP here; the TLS terminator in front (production) says https. Part of the hash.
    if (!req.http.X-Forwarded-Proto) {
        set req.http.X-Forwarded-Proto = "http";
    }

    # Tracking cookies never reach the cache or the site.
    if (req.http.Cookie) {
        set req.http.Cookie = regsuball(req.http.Cookie,
            "(^|;)\s*(_ga(_[^=]*)?|_gid|_gat[^=]*|_fbp|_fbc|_gcl_[^=]*)=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^[;\s]+", "");
        if (req.http.Cookie ~ "^\s*$") {
            unset req.http.Cookie;
        }
    }

    if (req.url ~ "^/media/") {
        if (req.method != "GET" && req.method != "HEAD") {
            return (synth(405, "Method Not Allowed"));
        }
        # A file, never a listing of the bucket: no query, no folder.
        set req.url = regsub(req.url, "\?.*$", "");
        if (req.url ~ "/$" || req.url ~ "\.\.") {
            return (synth(404, "Not Found"));
        }
        unset req.http.Cookie;
        unset req.http.Authorization;
        set req.backend_hint = media;
        return (hash);
    }

    set req.backend_hint = app.backend();
    # Never stale while an app server can answer: a page past its lifetime is fetched again
    # before it is served. With none healthy, the object's grace applies (vcl_backend_response).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Tracking parameters name how a reader arrived, not the page (portal/caching/state.py).
    if (req.url ~ "(?i)[?&](utm_[a-z_]*|fbclid|gclid|dclid|msclkid)=") {
        set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z_]*|fbclid|gclid|dclid|msclkid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    # Staff (a session) and readers with display preferences get pages made for them.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|tuong-phan|co-chu)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Other cookies (csrftoken) go to the site with the request; a page that uses one sets it
    # again, and a response that sets a cookie is never stored.
    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Forwarded-Proto);
    # Varnish's own vcl_hash follows: the URL and the Host.
}

sub vcl_backend_fetch {
    set bereq.http.X-Portal-Host = regsub(std.tolower(bereq.http.host), ":[0-9]+$", "");
    if (bereq.url ~ "^/media/") {
        # The address the reader asked for, before portal_media_fetch names the bucket's.
        set bereq.http.X-Portal-Url = bereq.url;
        call portal_media_fetch;
    }
}

sub vcl_backend_response {
    # Which site an object belongs to, for bans; never sent to readers (vcl_deliver).
    set beresp.http.X-Portal-Host = bereq.http.X-Portal-Host;

    if (bereq.backend == media) {
        unset beresp.http.Set-Cookie;
        unset beresp.http.Server;
        unset beresp.http.x-amz-request-id;
        unset beresp.http.x-amz-id-2;
        unset beresp.http.x-amzn-requestid;
        unset beresp.http.x-amz-content-sha256;
        unset beresp.http.x-amz-sdk-checksum-algorithm;
        set beresp.http.X-Content-Type-Options = "nosniff";
        if (bereq.http.X-Portal-Url ~ "^/media/(van-ban|du-thao)/") {
            # A document's file opens as a download, never as a page of this site.
            set beresp.http.Content-Disposition = "attachment";
        }
        if (beresp.status == 200) {
            # Stored names are never reused (a new upload gets a new name); a change of the
            # site still drops them with everything else.
            set beresp.ttl = 1h;
            set beresp.grace = 24h;
            return (deliver);
        }
        # A rendition not made yet, or a file deleted: ask again next time.
        call portal_not_stored;
        return (deliver);
    }

    # Not stored: for 10 s Varnish remembers that, and sends requests for this URL straight to
    # an app server instead of queueing them behind one another (hit-for-miss, not content).
    if (beresp.http.Set-Cookie) {
        call portal_not_stored;
        return (deliver);
    }
    # Only what the site says may be kept (s-maxage, or max-age for static files); an answer
    # without a lifetime (an error, a redirect) is never stored on Varnish's default.
    if (beresp.http.Cache-Control !~ "(s-maxage|max-age)=[1-9]") {
        call portal_not_stored;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        call portal_not_stored;
        return (deliver);
    }
    # Readers without a session or preferences share one copy, as in the site's own page cache:
    # the site varies on Cookie for sessions and preferences, which vcl_recv passes, and on
    # Accept-Language for addresses outside /en/ and the default language, which it never reads
    # for a stored page (the language is in the path).
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary,
            "(?i)(^|,)\s*(Cookie|Accept-Language)\s*(?=,|$)", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^\s*,\s*", "");
        if (beresp.http.Vary ~ "^\s*$") {
            unset beresp.http.Vary;
        }
    }
    # Kept past its lifetime only for when no app server answers (vcl_recv sets req.grace = 0
    # otherwise).
    set beresp.grace = 24h;
    return (deliver);
}

sub portal_not_stored {
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
}

sub vcl_backend_error {
    # An app server that went away before the probe noticed (a refused connection): the round
    # robin hands the retry to the next one. Reads only; a form is never sent twice.
    if (bereq.retries == 0 && bereq.method ~ "^(GET|HEAD)$" && bereq.backend != media) {
        return (retry);
    }
    if (bereq.is_bgfetch) {
        # A page in grace is being refreshed and nothing answers: keep serving it.
        return (abandon);
    }
    set beresp.ttl = 0s;
    set beresp.grace = 0s;
    if (bereq.backend == media) {
        set beresp.status = 503;
        set beresp.http.Content-Type = "text/plain; charset=utf-8";
        set beresp.body = "503";
        return (deliver);
    }
    # The site's own error page, rendered when Varnish started (portal-site.vcl).
    set beresp.status = 503;
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "30";
    call portal_error_page;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Portal-Host;
    unset resp.http.Via;
    # X-Varnish and Age stay: "X-Varnish: 32770 3" (two ids) and Age > 0 show a hit.
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    set resp.body = resp.reason;
    return (deliver);
}
