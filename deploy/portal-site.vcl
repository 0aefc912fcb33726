# What deploy/portal.vcl needs to know about one site: copy to /etc/varnish/portal-site.vcl and
# put in your own addresses. (`make cluster` writes its own copy, for one machine.)
# Every name defined here is used by portal.vcl: app, media, app_servers, portal_media_fetch,
# portal_error_page.

# /healthz answers 200 while the app server reads its database (portal/health.py). Sick after two
# failed probes of the last three, 2 s apart: within 6 s of a crash its traffic goes to the others.
# The Host must be one of DJANGO_ALLOWED_HOSTS; X-Forwarded-Proto: https spares the probe the
# redirect to HTTPS (the app servers run with DJANGO_BEHIND_PROXY=1).
probe healthz {
    .request =
        "GET /healthz HTTP/1.1"
        "Host: portal.example.gov.vn"
        "X-Forwarded-Proto: https"
        "Connection: close";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

# The gunicorn app servers (deploy/portal-app@.service), round robin.
backend app_a {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

backend app_b {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}

# The S3-compatible store (the ministry's MinIO or Ceph RADOS Gateway), read over plain HTTP on
# the internal network. The bucket's objects are public-read or the store allows this address.
backend media {
    .host = "10.0.0.20";
    .port = "9000";
    .connect_timeout = 1s;
}

# Who may send BAN: the app servers, and any machine where editors run manage.py commands.
acl app_servers {
    "10.0.0.11";
    "10.0.0.12";
    "127.0.0.1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_a);
    app.add_backend(app_b);
}

# /media/<name> is <bucket>/<name> on the store, path-style.
sub portal_media_fetch {
    set bereq.url = regsub(bereq.url, "^/media/", "/portal-media/");
    set bereq.http.host = "10.0.0.20:9000";
    unset bereq.http.Cookie;
}

# The site's own error page for when no app server answers, written by the unit that starts
# Varnish (deploy/portal-varnish.service) from templates/500.html.
sub portal_error_page {
    set beresp.body = std.fileread("/var/lib/portal/error-503.html");
}
