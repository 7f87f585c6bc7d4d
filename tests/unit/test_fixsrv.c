/* The fixture server seen from a real client (libcurl), against a handler
 * defined here, so the server is tested apart from the sample generator. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <ifaddrs.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/str.h"
#include "fixsrv.h"
#include "tap.h"

#define HOME_ETAG "\"v1\""
#define HOME_MTIME INT64_C(1700000000) /* Tue, 14 Nov 2023 22:13:20 GMT */
#define BIG_LEN 200000

static const char g_home[] =
    "<!DOCTYPE html><html><head><meta charset=\"UTF-8\"><title>Example portal</title></head>"
    "<body><h1>Example home</h1></body></html>";
static const char g_jyj[] = "<html><body>jyj home</body></html>";
static char *g_big; /* BIG_LEN bytes of HTML-ish text */

/* The test handler: two hosts, a 200 page, a 404, a redirect, a large page,
 * an echo of what the server passed, and a handler failure. */
static int test_handler(void *ctx, const char *host, const char *path, const char *ua,
                        struct gw_sample_resp *out)
{
  (void)ctx;
  struct gw_buf b = GW_BUF_INIT;
  memset(out, 0, sizeof *out);
  gw_strlcpy(out->content_type, "text/html; charset=UTF-8", sizeof out->content_type);
  out->status = 200;
  if (strcmp(path, "/fail") == 0)
    return -1;
  if (gw_str_starts(path, "/echo")) {
    gw_buf_printf(&b, "host=%s path=%s ua=%s", host, path, ua ? ua : "(none)");
    gw_strlcpy(out->content_type, "text/plain; charset=UTF-8", sizeof out->content_type);
  } else if (strcmp(host, "www.example.gov.cn") == 0 && strcmp(path, "/") == 0) {
    gw_buf_puts(&b, g_home);
    out->last_modified = HOME_MTIME;
    gw_strlcpy(out->etag, HOME_ETAG, sizeof out->etag);
  } else if (strcmp(host, "www.example.gov.cn") == 0 && strcmp(path, "/big.html") == 0) {
    gw_buf_append(&b, g_big, BIG_LEN);
  } else if (strcmp(host, "www.example.gov.cn") == 0 && strcmp(path, "/old") == 0) {
    out->status = 301;
    gw_strlcpy(out->location, "http://www.example.gov.cn/", sizeof out->location);
    out->content_type[0] = '\0';
  } else if (strcmp(host, "jyj.example.gov.cn") == 0 && strcmp(path, "/") == 0) {
    gw_buf_puts(&b, g_jyj);
  } else if (gw_str_starts(path, "/p/")) {
    gw_buf_printf(&b, "<html><body>page %s</body></html>", path + 3);
  } else {
    out->status = 404;
    gw_buf_puts(&b, "<html><body>not found</body></html>");
  }
  out->len = b.len;
  out->body = gw_buf_steal(&b);
  return 0;
}

/* ---- a small libcurl client ---- */

struct req_opts {
  bool head;
  bool ipv6;                /* connect to [::1] instead of 127.0.0.1 */
  const char *accept_enc;   /* CURLOPT_ACCEPT_ENCODING; NULL = none sent */
  bool raw;                 /* do not decode Content-Encoding */
  const char *hdr1, *hdr2;  /* extra request headers */
  const char *method;       /* custom method */
  size_t abort_after;       /* stop reading after this many body bytes (0 = never) */
};

struct resp {
  CURLcode rc;
  long code;
  struct gw_buf body;
  curl_off_t clen;          /* declared Content-Length, -1 if none */
  char ctype[128], cenc[64], vary[64], retry_after[32], location[256], etag[64], lastmod[64],
      date[64], allow[64];
  double secs;
};

static size_t on_write(char *p, size_t sz, size_t n, void *ud)
{
  struct { struct gw_buf *b; size_t abort_after; } *w = ud;
  if (gw_buf_append(w->b, p, sz * n) != GW_OK)
    return 0;
  if (w->abort_after && w->b->len >= w->abort_after)
    return 0;
  return sz * n;
}

static void header_copy(CURL *h, const char *name, char *out, size_t size)
{
  struct curl_header *hh;
  out[0] = '\0';
  if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hh) == CURLHE_OK)
    gw_strlcpy(out, hh->value, size);
}

static double mono(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void resp_free(struct resp *r)
{
  gw_buf_free(&r->body);
}

static void get(uint16_t port, const char *url, const struct req_opts *o, struct resp *r)
{
  static const struct req_opts none;
  if (!o)
    o = &none;
  memset(r, 0, sizeof *r);
  gw_buf_init(&r->body, 0);
  CURL *h = curl_easy_init();
  char ct[64];
  snprintf(ct, sizeof ct, o->ipv6 ? "::[::1]:%u" : "::127.0.0.1:%u", (unsigned)port);
  struct curl_slist *connect_to = curl_slist_append(NULL, ct);
  struct curl_slist *hdrs = NULL;
  if (o->hdr1)
    hdrs = curl_slist_append(hdrs, o->hdr1);
  if (o->hdr2)
    hdrs = curl_slist_append(hdrs, o->hdr2);
  struct { struct gw_buf *b; size_t abort_after; } w = {&r->body, o->abort_after};
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &w);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "fixsrv-test/1");
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
  if (o->head)
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  if (o->method)
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, o->method);
  if (o->accept_enc)
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, o->accept_enc);
  if (o->raw)
    curl_easy_setopt(h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  double t0 = mono();
  r->rc = curl_easy_perform(h);
  r->secs = mono() - t0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->code);
  r->clen = -1;
  curl_easy_getinfo(h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &r->clen);
  header_copy(h, "Content-Type", r->ctype, sizeof r->ctype);
  header_copy(h, "Content-Encoding", r->cenc, sizeof r->cenc);
  header_copy(h, "Vary", r->vary, sizeof r->vary);
  header_copy(h, "Retry-After", r->retry_after, sizeof r->retry_after);
  header_copy(h, "Location", r->location, sizeof r->location);
  header_copy(h, "ETag", r->etag, sizeof r->etag);
  header_copy(h, "Last-Modified", r->lastmod, sizeof r->lastmod);
  header_copy(h, "Date", r->date, sizeof r->date);
  header_copy(h, "Allow", r->allow, sizeof r->allow);
  curl_easy_cleanup(h);
  curl_slist_free_all(connect_to);
  curl_slist_free_all(hdrs);
}

static struct gw_fixsrv *start(enum gw_fault f, unsigned every, unsigned times)
{
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = test_handler;
  o.fault = f;
  o.fault_every = every;
  o.fault_times = times;
  o.slow_ms = 300;
  o.retry_after = 7;
  struct gw_fixsrv *s = NULL;
  int rc = gw_fixsrv_start(&s, &o);
  CHECK_MSG(rc == GW_OK, "start: %s", gw_err_msg());
  return s;
}

static void test_basics(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_NONE, 0, 0);
  if (!s)
    return;
  uint16_t port = gw_fixsrv_port(s);
  CHECK(port != 0);
  struct resp r;

  get(port, "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.code, 200);
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  CHECK_INT(r.clen, (long long)strlen(g_home));
  CHECK_STR(r.ctype, "text/html; charset=UTF-8");
  CHECK_STR(r.etag, HOME_ETAG);
  CHECK_STR(r.lastmod, "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK(curl_getdate(r.date, NULL) > 1700000000);
  resp_free(&r);

  /* the Host header picks the site */
  get(port, "http://jyj.example.gov.cn/", NULL, &r);
  CHECK_INT(r.code, 200);
  CHECK_STR(gw_buf_cstr(&r.body), g_jyj);
  resp_free(&r);
  get(port, "http://nosuch.example.gov.cn/", NULL, &r);
  CHECK_INT(r.code, 404);
  resp_free(&r);
  struct req_opts ho = {.hdr1 = "Host: JYJ.Example.GOV.cn.:8080"};
  get(port, "http://www.example.gov.cn/", &ho, &r);
  CHECK_STR(gw_buf_cstr(&r.body), g_jyj);
  resp_free(&r);

  /* the handler sees host (normalised), path and query as sent, the UA */
  struct req_opts eo = {.hdr1 = "Host: [::1]:99"};
  get(port, "http://www.example.gov.cn/echo?a=1&b=%E4%B8%AD#frag", &eo, &r);
  CHECK_STR(gw_buf_cstr(&r.body), "host=::1 path=/echo?a=1&b=%E4%B8%AD ua=fixsrv-test/1");
  CHECK_STR(r.ctype, "text/plain; charset=UTF-8");
  resp_free(&r);

  /* redirect */
  get(port, "http://www.example.gov.cn/old", NULL, &r);
  CHECK_INT(r.code, 301);
  CHECK_STR(r.location, "http://www.example.gov.cn/");
  resp_free(&r);

  /* large page in full */
  get(port, "http://www.example.gov.cn/big.html", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.body.len, BIG_LEN);
  CHECK(r.body.len == BIG_LEN && memcmp(r.body.data, g_big, BIG_LEN) == 0);
  resp_free(&r);

  /* HEAD: the headers of GET, no body */
  struct req_opts head = {.head = true};
  get(port, "http://www.example.gov.cn/big.html", &head, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.code, 200);
  CHECK_INT(r.clen, BIG_LEN);
  CHECK_INT(r.body.len, 0);
  resp_free(&r);
  get(port, "http://www.example.gov.cn/", &head, &r);
  CHECK_INT(r.clen, (long long)strlen(g_home));
  CHECK_STR(r.etag, HOME_ETAG);
  resp_free(&r);

  /* other methods */
  struct req_opts post = {.method = "POST"};
  get(port, "http://www.example.gov.cn/", &post, &r);
  CHECK_INT(r.code, 405);
  CHECK_STR(r.allow, "GET, HEAD");
  resp_free(&r);
  struct req_opts del = {.method = "DELETE"};
  get(port, "http://www.example.gov.cn/", &del, &r);
  CHECK_INT(r.code, 405);
  resp_free(&r);

  /* a failing handler is a 500 */
  get(port, "http://www.example.gov.cn/fail", NULL, &r);
  CHECK_INT(r.code, 500);
  resp_free(&r);

  /* keep-alive: a second request reuses the connection; a POST body is
   * read and dropped */
  CURL *h = curl_easy_init();
  char ct[64];
  snprintf(ct, sizeof ct, "::127.0.0.1:%u", (unsigned)port);
  struct curl_slist *connect_to = curl_slist_append(NULL, ct);
  struct gw_buf sink = GW_BUF_INIT;
  struct { struct gw_buf *b; size_t abort_after; } w = {&sink, 0};
  curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &w);
  curl_easy_setopt(h, CURLOPT_URL, "http://www.example.gov.cn/");
  CHECK_INT(curl_easy_perform(h), CURLE_OK);
  curl_easy_setopt(h, CURLOPT_URL, "http://www.example.gov.cn/old");
  CHECK_INT(curl_easy_perform(h), CURLE_OK);
  long conns = -1, code = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &conns);
  CHECK_INT(conns, 0);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, "a=1&b=2");
  CHECK_INT(curl_easy_perform(h), CURLE_OK);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  CHECK_INT(code, 405);
  curl_easy_cleanup(h);
  curl_slist_free_all(connect_to);
  gw_buf_free(&sink);

  CHECK_INT(gw_fixsrv_requests(s), 15);
  CHECK_INT(gw_fixsrv_faults(s), 0);
  gw_fixsrv_stop(&s);
  CHECK(s == NULL);
  gw_fixsrv_stop(&s); /* stopping NULL is a no-op */
}

static void test_conditional(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_NONE, 0, 0);
  if (!s)
    return;
  uint16_t port = gw_fixsrv_port(s);
  const char *u = "http://www.example.gov.cn/";
  struct resp r;
  struct {
    const char *h1, *h2;
    long want;
  } cases[] = {
    {"If-None-Match: \"v1\"", NULL, 304},
    {"If-None-Match: W/\"v1\"", NULL, 304},
    {"If-None-Match: \"x\", \"v1\"", NULL, 304},
    {"If-None-Match: *", NULL, 304},
    {"If-None-Match: \"v2\"", NULL, 200},
    {"If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT", NULL, 304},
    {"If-Modified-Since: Wed, 15 Nov 2023 00:00:00 GMT", NULL, 304},
    {"If-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT", NULL, 200},
    {"If-Modified-Since: not a date", NULL, 200},
    /* If-None-Match wins over If-Modified-Since (RFC 7232 3.3) */
    {"If-None-Match: \"v2\"", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 GMT", 200},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct req_opts o = {.hdr1 = cases[i].h1, .hdr2 = cases[i].h2};
    get(port, u, &o, &r);
    CHECK_MSG(r.code == cases[i].want, "%s / %s: %ld, want %ld", cases[i].h1,
              cases[i].h2 ? cases[i].h2 : "", r.code, cases[i].want);
    if (cases[i].want == 304) {
      CHECK_INT(r.body.len, 0);
      CHECK_STR(r.etag, HOME_ETAG);
    } else {
      CHECK_STR(gw_buf_cstr(&r.body), g_home);
    }
    resp_free(&r);
  }
  /* a page without validators is never a 304 */
  struct req_opts o = {.hdr1 = "If-None-Match: *",
                       .hdr2 = "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 GMT"};
  get(port, "http://jyj.example.gov.cn/", &o, &r);
  CHECK_INT(r.code, 200);
  resp_free(&r);
  gw_fixsrv_stop(&s);
}

static void test_slow(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_SLOW, 0, 0);
  if (!s)
    return;
  struct resp r;
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/big.html", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.code, 200);
  CHECK(r.body.len == BIG_LEN && memcmp(r.body.data, g_big, BIG_LEN) == 0);
  CHECK_MSG(r.secs >= 0.3, "slow response took %.3f s, want >= 0.3", r.secs);
  resp_free(&r);
  /* an empty body (redirect) is delayed before the headers */
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/old", NULL, &r);
  CHECK_INT(r.code, 301);
  CHECK_MSG(r.secs >= 0.3, "slow redirect took %.3f s, want >= 0.3", r.secs);
  resp_free(&r);
  CHECK_INT(gw_fixsrv_faults(s), 2);
  gw_fixsrv_stop(&s);
}

static void test_reset(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_RESET, 0, 2);
  if (!s)
    return;
  struct resp r;
  for (int i = 0; i < 2; i++) {
    get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
    CHECK_MSG(r.rc == CURLE_GOT_NOTHING || r.rc == CURLE_RECV_ERROR, "reset gave %d (%s)",
              (int)r.rc, curl_easy_strerror(r.rc));
    CHECK_INT(r.code, 0);
    CHECK_INT(r.body.len, 0);
    resp_free(&r);
  }
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.code, 200);
  resp_free(&r);
  CHECK_INT(gw_fixsrv_faults(s), 2);
  CHECK_INT(gw_fixsrv_requests(s), 3);
  gw_fixsrv_stop(&s);
}

static void test_5xx_429(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_5XX, 0, 2);
  if (!s)
    return;
  struct resp r;
  long want[] = {503, 503, 200, 200};
  for (int i = 0; i < 4; i++) {
    get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
    CHECK_INT(r.code, want[i]);
    if (want[i] == 503)
      CHECK_CONTAINS(gw_buf_cstr(&r.body), "503");
    resp_free(&r);
  }
  /* counted per URL: another URL has its own burst */
  get(gw_fixsrv_port(s), "http://jyj.example.gov.cn/", NULL, &r);
  CHECK_INT(r.code, 503);
  resp_free(&r);
  CHECK_INT(gw_fixsrv_faults(s), 3);
  gw_fixsrv_stop(&s);

  /* fault_times 0: always */
  s = start(GW_FAULT_5XX, 0, 0);
  if (!s)
    return;
  for (int i = 0; i < 5; i++) {
    get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
    CHECK_INT(r.code, 503);
    resp_free(&r);
  }
  gw_fixsrv_stop(&s);

  s = start(GW_FAULT_429, 0, 1);
  if (!s)
    return;
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.code, 429);
  CHECK_STR(r.retry_after, "7");
  resp_free(&r);
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.code, 200);
  CHECK_STR(r.retry_after, "");
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  resp_free(&r);
  gw_fixsrv_stop(&s);
}

static void test_truncate_badlen(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_TRUNCATE, 0, 0);
  if (!s)
    return;
  struct resp r;
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/big.html", NULL, &r);
  CHECK_INT(r.rc, CURLE_PARTIAL_FILE);
  CHECK_INT(r.code, 200);
  CHECK_INT(r.clen, BIG_LEN);
  CHECK_INT(r.body.len, BIG_LEN / 2);
  CHECK(r.body.len <= BIG_LEN && memcmp(r.body.data, g_big, r.body.len) == 0);
  resp_free(&r);
  /* HEAD: nothing to cut, the declared length is the full one */
  struct req_opts head = {.head = true};
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/big.html", &head, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.clen, BIG_LEN);
  resp_free(&r);
  gw_fixsrv_stop(&s);

  s = start(GW_FAULT_BAD_LENGTH, 0, 1);
  if (!s)
    return;
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.rc, CURLE_PARTIAL_FILE);
  CHECK_INT(r.clen, (long long)strlen(g_home) + 1024);
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  resp_free(&r);
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_INT(r.clen, (long long)strlen(g_home));
  resp_free(&r);
  gw_fixsrv_stop(&s);
}

static int gunzip(const char *in, size_t len, struct gw_buf *out)
{
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 31) != Z_OK)
    return -1;
  z.next_in = (Bytef *)(uintptr_t)in;
  z.avail_in = (uInt)len;
  char buf[16384];
  int zr;
  do {
    z.next_out = (Bytef *)buf;
    z.avail_out = sizeof buf;
    zr = inflate(&z, Z_NO_FLUSH);
    if (zr != Z_OK && zr != Z_STREAM_END)
      break;
    gw_buf_append(out, buf, sizeof buf - z.avail_out);
  } while (zr != Z_STREAM_END);
  inflateEnd(&z);
  return zr == Z_STREAM_END ? 0 : -1;
}

static void test_gzip(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_GZIP, 0, 0);
  if (!s)
    return;
  uint16_t port = gw_fixsrv_port(s);
  struct resp r;
  /* decoded by curl */
  struct req_opts all = {.accept_enc = ""};
  get(port, "http://www.example.gov.cn/big.html", &all, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_STR(r.cenc, "gzip");
  CHECK_STR(r.vary, "Accept-Encoding");
  CHECK(r.clen > 0 && r.clen < BIG_LEN);
  CHECK(r.body.len == BIG_LEN && memcmp(r.body.data, g_big, BIG_LEN) == 0);
  resp_free(&r);
  /* raw: a gzip stream (magic 1f 8b) that inflates to the page */
  struct req_opts raw = {.accept_enc = "gzip", .raw = true};
  get(port, "http://www.example.gov.cn/", &raw, &r);
  CHECK_STR(r.cenc, "gzip");
  CHECK(r.body.len > 2 && (unsigned char)r.body.data[0] == 0x1f &&
        (unsigned char)r.body.data[1] == 0x8b);
  CHECK_INT(r.clen, (long long)r.body.len);
  struct gw_buf plain = GW_BUF_INIT;
  CHECK_INT(gunzip(r.body.data, r.body.len, &plain), 0);
  CHECK_STR(gw_buf_cstr(&plain), g_home);
  gw_buf_free(&plain);
  curl_off_t gzlen = r.clen;
  resp_free(&r);
  /* HEAD: the same (compressed) length */
  struct req_opts head = {.accept_enc = "gzip", .raw = true, .head = true};
  get(port, "http://www.example.gov.cn/", &head, &r);
  CHECK_INT(r.clen, gzlen);
  CHECK_STR(r.cenc, "gzip");
  resp_free(&r);
  /* refused by q=0 */
  struct req_opts q0 = {.hdr1 = "Accept-Encoding: gzip;q=0, identity"};
  get(port, "http://www.example.gov.cn/", &q0, &r);
  CHECK_STR(r.cenc, "");
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  resp_free(&r);
  uint64_t faults = gw_fixsrv_faults(s);
  /* no Accept-Encoding: plain, not a fault, but Vary is still said */
  get(port, "http://www.example.gov.cn/", NULL, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_STR(r.cenc, "");
  CHECK_STR(r.vary, "Accept-Encoding");
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  CHECK_INT(r.clen, (long long)strlen(g_home));
  resp_free(&r);
  CHECK_INT(gw_fixsrv_faults(s), faults);
  CHECK_INT(faults, 3);
  gw_fixsrv_stop(&s);
}

static void test_huge(void)
{
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = test_handler;
  o.fault = GW_FAULT_HUGE;
  o.huge_bytes = UINT64_C(1) << 33; /* 8 GiB: never allocated */
  struct gw_fixsrv *s = NULL;
  CHECK_INT(gw_fixsrv_start(&s, &o), GW_OK);
  if (!s)
    return;
  struct resp r;
  struct req_opts ab = {.abort_after = 4u << 20};
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/anything", &ab, &r);
  CHECK_INT(r.rc, CURLE_WRITE_ERROR);
  CHECK_INT(r.code, 200);
  CHECK_INT(r.clen, (long long)(UINT64_C(1) << 33));
  CHECK(r.body.len >= (4u << 20));
  CHECK(gw_str_starts(gw_buf_cstr(&r.body), "<!DOCTYPE html>"));
  CHECK_CONTAINS(gw_buf_cstr(&r.body) + (3u << 20), "This page is long on purpose.</p>\n<p>");
  resp_free(&r);
  gw_fixsrv_stop(&s);

  /* small sizes: exact length, a complete page, or a cut frame */
  uint64_t sizes[] = {1000, 10};
  for (int i = 0; i < 2; i++) {
    o.huge_bytes = sizes[i];
    CHECK_INT(gw_fixsrv_start(&s, &o), GW_OK);
    if (!s)
      return;
    get(gw_fixsrv_port(s), "http://www.example.gov.cn/", NULL, &r);
    CHECK_INT(r.rc, CURLE_OK);
    CHECK_INT(r.body.len, sizes[i]);
    if (sizes[i] == 1000)
      CHECK(gw_str_ends(gw_buf_cstr(&r.body), "</p>\n</body></html>\n") ||
            gw_str_ends(gw_buf_cstr(&r.body), "</body></html>\n"));
    else
      CHECK_STR(gw_buf_cstr(&r.body), "<!DOCTYPE ");
    resp_free(&r);
    gw_fixsrv_stop(&s);
  }
  o.huge_bytes = 0;
  CHECK_INT(gw_fixsrv_start(&s, &o), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "huge_bytes");
}

/* The hash the server is specified to use, computed independently. */
static uint64_t fnv1a(const char *s)
{
  uint64_t h = 14695981039346656037ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

static void run_every(bool hurt[60])
{
  struct gw_fixsrv *s = start(GW_FAULT_5XX, 3, 0);
  if (!s)
    return;
  for (int i = 0; i < 60; i++) {
    char url[128];
    snprintf(url, sizeof url, "http://www.example.gov.cn/p/%d?x=1", i);
    struct resp r;
    get(gw_fixsrv_port(s), url, NULL, &r);
    hurt[i] = r.code == 503;
    CHECK(r.code == 503 || r.code == 200);
    resp_free(&r);
  }
  gw_fixsrv_stop(&s);
}

static void test_every(void)
{
  bool a[60] = {false}, b[60] = {false};
  run_every(a);
  run_every(b);
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.fault = GW_FAULT_5XX;
  o.fault_every = 3;
  int n = 0;
  for (int i = 0; i < 60; i++) {
    char path[64], key[128];
    snprintf(path, sizeof path, "/p/%d?x=1", i);
    snprintf(key, sizeof key, "www.example.gov.cn%s", path);
    bool want = fnv1a(key) % 3 == 0;
    CHECK_MSG(a[i] == want, "URL %s: hurt %d, hash says %d", path, a[i], want);
    CHECK_MSG(a[i] == b[i], "URL %s: run 1 %d, run 2 %d", path, a[i], b[i]);
    CHECK(gw_fixsrv_selected(&o, "www.example.gov.cn", path) == want);
    n += a[i];
  }
  CHECK_MSG(n > 5 && n < 40, "%d of 60 URLs hurt with fault_every 3", n);
  o.fault_every = 1;
  CHECK(gw_fixsrv_selected(&o, "a", "/b"));
  o.fault_every = 0;
  CHECK(gw_fixsrv_selected(&o, "a", "/b"));
  o.fault = GW_FAULT_NONE;
  CHECK(!gw_fixsrv_selected(&o, "a", "/b"));
}

/* ~50 parallel connections, as a crawler makes, each answer slow. */
static void test_parallel(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_SLOW, 0, 0);
  if (!s)
    return;
  enum { N = 60 };
  CURLM *m = curl_multi_init();
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 50L);
  curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 50L);
  CURL *hs[N];
  struct gw_buf bodies[N];
  struct { struct gw_buf *b; size_t abort_after; } ws[N];
  char ct[64];
  snprintf(ct, sizeof ct, "::127.0.0.1:%u", (unsigned)gw_fixsrv_port(s));
  struct curl_slist *connect_to = curl_slist_append(NULL, ct);
  for (int i = 0; i < N; i++) {
    char url[128];
    snprintf(url, sizeof url, "http://www.example.gov.cn/p/%d", i);
    gw_buf_init(&bodies[i], 0);
    ws[i].b = &bodies[i];
    ws[i].abort_after = 0;
    hs[i] = curl_easy_init();
    curl_easy_setopt(hs[i], CURLOPT_URL, url);
    curl_easy_setopt(hs[i], CURLOPT_CONNECT_TO, connect_to);
    curl_easy_setopt(hs[i], CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(hs[i], CURLOPT_WRITEDATA, &ws[i]);
    curl_easy_setopt(hs[i], CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(hs[i], CURLOPT_NOPROXY, "*");
    curl_multi_add_handle(m, hs[i]);
  }
  int running = 1;
  while (running) {
    curl_multi_perform(m, &running);
    if (running)
      curl_multi_poll(m, NULL, 0, 1000, NULL);
  }
  int ok = 0;
  CURLMsg *msg;
  int left;
  while ((msg = curl_multi_info_read(m, &left)) != NULL)
    if (msg->msg == CURLMSG_DONE && msg->data.result == CURLE_OK)
      ok++;
  CHECK_INT(ok, N);
  for (int i = 0; i < N; i++) {
    char want[64];
    snprintf(want, sizeof want, "<html><body>page %d</body></html>", i);
    CHECK_STR(gw_buf_cstr(&bodies[i]), want);
    curl_multi_remove_handle(m, hs[i]);
    curl_easy_cleanup(hs[i]);
    gw_buf_free(&bodies[i]);
  }
  curl_multi_cleanup(m);
  curl_slist_free_all(connect_to);
  CHECK_INT(gw_fixsrv_requests(s), N);
  gw_fixsrv_stop(&s);
}

static bool have_ipv6_loopback(void)
{
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0)
    return false;
  struct sockaddr_in6 a;
  memset(&a, 0, sizeof a);
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

static void test_ipv6(void)
{
  if (!have_ipv6_loopback()) {
    printf("# note: no ::1 on this machine, IPv6 test skipped\n");
    return;
  }
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = test_handler;
  o.ipv6 = true;
  struct gw_fixsrv *s = NULL;
  CHECK_INT(gw_fixsrv_start(&s, &o), GW_OK);
  if (!s)
    return;
  struct resp r;
  struct req_opts v6 = {.ipv6 = true};
  get(gw_fixsrv_port(s), "http://www.example.gov.cn/", &v6, &r);
  CHECK_INT(r.rc, CURLE_OK);
  CHECK_STR(gw_buf_cstr(&r.body), g_home);
  resp_free(&r);
  get(gw_fixsrv_port(s), "http://jyj.example.gov.cn/", NULL, &r);
  CHECK_STR(gw_buf_cstr(&r.body), g_jyj);
  resp_free(&r);
  gw_fixsrv_stop(&s);
}

static bool try_connect(const struct sockaddr *sa, socklen_t len)
{
  int fd = socket(sa->sa_family, SOCK_STREAM, 0);
  if (fd < 0)
    return false;
  bool ok = connect(fd, sa, len) == 0;
  close(fd);
  return ok;
}

static void test_loopback_only(void)
{
  struct gw_fixsrv *s = start(GW_FAULT_NONE, 0, 0);
  if (!s)
    return;
  uint16_t port = gw_fixsrv_port(s);
  /* every other local address refuses the port */
  struct ifaddrs *ifs = NULL;
  int tried = 0;
  if (getifaddrs(&ifs) == 0) {
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
      if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
        continue;
      struct sockaddr_in a = *(struct sockaddr_in *)i->ifa_addr;
      if ((ntohl(a.sin_addr.s_addr) >> 24) == 127)
        continue;
      a.sin_port = htons(port);
      char txt[64];
      inet_ntop(AF_INET, &a.sin_addr, txt, sizeof txt);
      CHECK_MSG(!try_connect((struct sockaddr *)&a, sizeof a), "server reachable on %s:%u",
                txt, (unsigned)port);
      tried++;
    }
    freeifaddrs(ifs);
  }
  if (tried == 0)
    printf("# note: no non-loopback IPv4 address here; reachability check skipped\n");
  struct sockaddr_in lo;
  memset(&lo, 0, sizeof lo);
  lo.sin_family = AF_INET;
  lo.sin_port = htons(port);
  lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK(try_connect((struct sockaddr *)&lo, sizeof lo));
  /* 127.0.0.2 is loopback too, but not the bound address */
  lo.sin_addr.s_addr = htonl(0x7f000002);
  CHECK(!try_connect((struct sockaddr *)&lo, sizeof lo));

  /* a second server cannot take the same port; the message names it */
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = test_handler;
  o.port = port;
  struct gw_fixsrv *s2 = NULL;
  CHECK_INT(gw_fixsrv_start(&s2, &o), GW_ENET);
  CHECK(s2 == NULL);
  char want[64];
  snprintf(want, sizeof want, "127.0.0.1:%u", (unsigned)port);
  CHECK_CONTAINS(gw_err_msg(), want);

  /* stop releases the port: a plain listener and a new server can bind */
  gw_fixsrv_stop(&s);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  lo.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_MSG(bind(fd, (struct sockaddr *)&lo, sizeof lo) == 0 && listen(fd, 1) == 0,
            "bind after stop: %s", strerror(errno));
  close(fd);
  CHECK_INT(gw_fixsrv_start(&s2, &o), GW_OK);
  if (s2) {
    CHECK_INT(gw_fixsrv_port(s2), port);
    struct resp r;
    get(port, "http://www.example.gov.cn/", NULL, &r);
    CHECK_INT(r.code, 200);
    resp_free(&r);
    gw_fixsrv_stop(&s2);
  }
}

/* The sample handler: site pages as gw_sample_get renders them, the index
 * page on the server's own address. */
static void test_sample_handler(void)
{
  struct gw_sample_opts so;
  gw_sample_opts_default(&so);
  struct gw_sample *sm = NULL;
  CHECK_INT(gw_sample_new(&sm, &so), GW_OK);
  if (!sm)
    return;
  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  o.handler = gw_fixsrv_sample_handler;
  o.ctx = sm;
  struct gw_fixsrv *s = NULL;
  CHECK_INT(gw_fixsrv_start(&s, &o), GW_OK);
  if (!s) {
    gw_sample_free(&sm);
    return;
  }
  uint16_t port = gw_fixsrv_port(s);
  struct resp r;
  /* a site page: the generator's bytes and headers */
  struct gw_sample_resp want;
  CHECK_INT(gw_sample_get(sm, "czj.qingxi.gov.cn", "/", NULL, &want), GW_OK);
  get(port, "http://czj.qingxi.gov.cn/", NULL, &r);
  CHECK_INT(r.code, want.status);
  CHECK_STR(r.ctype, want.content_type);
  CHECK_STR(r.etag, want.etag);
  CHECK(r.body.len == want.len && memcmp(r.body.data, want.body, want.len) == 0);
  gw_sample_resp_clear(&want);
  resp_free(&r);

  /* the index on an IP literal or localhost */
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u/", (unsigned)port);
  get(port, url, NULL, &r);
  CHECK_INT(r.code, 200);
  CHECK_STR(r.ctype, "text/html; charset=UTF-8");
  const char *page = gw_buf_cstr(&r.body);
  for (size_t i = 0; i < gw_sample_site_count(sm); i++) {
    const struct gw_sample_site *st = gw_sample_site_at(sm, i);
    CHECK_CONTAINS(page, st->name);
    CHECK_CONTAINS(page, st->host);
    CHECK_CONTAINS(page, st->code);
  }
  char hint[128];
  snprintf(hint, sizeof hint, "curl --connect-to ::127.0.0.1:%u http://www.qingxi.gov.cn/",
           (unsigned)port);
  CHECK_CONTAINS(page, hint);
  snprintf(hint, sizeof hint, "MAP www.qingxi.gov.cn 127.0.0.1:%u", (unsigned)port);
  CHECK_CONTAINS(page, hint);
  CHECK(strstr(page, "qingxi-old") == NULL);
  resp_free(&r);
  struct req_opts lh = {.hdr1 = "Host: localhost"};
  get(port, "http://www.qingxi.gov.cn/", &lh, &r);
  CHECK_CONTAINS(gw_buf_cstr(&r.body), "<h1>GovWatch");
  resp_free(&r);
  snprintf(url, sizeof url, "http://127.0.0.1:%u/nosuch", (unsigned)port);
  get(port, url, NULL, &r);
  CHECK_INT(r.code, 404);
  resp_free(&r);

  char *rules = gw_fixsrv_sample_resolver_rules(sm, 8080);
  for (size_t i = 0; i < gw_sample_host_count(sm); i++) {
    snprintf(hint, sizeof hint, "MAP %s 127.0.0.1:8080", gw_sample_host_at(sm, i));
    CHECK_CONTAINS(rules, hint);
  }
  CHECK(strstr(rules, "*") == NULL);
  free(rules);
  gw_fixsrv_stop(&s);
  gw_sample_free(&sm);
}

static void test_parse(void)
{
  const char *names[] = {"none", "slow", "reset", "5xx", "429", "truncate", "bad-length",
                         "gzip", "huge"};
  for (int i = 0; i < 9; i++) {
    enum gw_fault f = GW_FAULT_HUGE;
    CHECK_INT(gw_fault_parse(names[i], &f), GW_OK);
    CHECK_INT(f, i);
    CHECK_STR(gw_fault_name(f), names[i]);
  }
  enum gw_fault f = GW_FAULT_SLOW;
  CHECK_INT(gw_fault_parse("GZIP", &f), GW_OK);
  CHECK_INT(f, GW_FAULT_GZIP);
  f = GW_FAULT_SLOW;
  CHECK_INT(gw_fault_parse("sloww", &f), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "'sloww'");
  CHECK_INT(f, GW_FAULT_SLOW); /* untouched on failure */
  CHECK_STR(gw_fault_name((enum gw_fault)42), "?");

  struct gw_fixsrv_opts o;
  gw_fixsrv_opts_default(&o);
  struct gw_fixsrv *s = NULL;
  CHECK_INT(gw_fixsrv_start(&s, &o), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "handler");
  CHECK(s == NULL);
  CHECK_INT(gw_fixsrv_local_port(), 0);
}

int main(void)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
  g_big = gw_malloc(BIG_LEN);
  for (size_t i = 0; i < BIG_LEN; i++)
    g_big[i] = "<p>big page line</p>\n"[i % 21];
  test_parse();
  test_basics();
  test_conditional();
  test_slow();
  test_reset();
  test_5xx_429();
  test_truncate_badlen();
  test_gzip();
  test_huge();
  test_every();
  test_parallel();
  test_ipv6();
  test_loopback_only();
  test_sample_handler();
  free(g_big);
  curl_global_cleanup();
  return gw_test_done();
}
