/* The crawler's records: crawls, the URLs of a crawl with every fetch
 * outcome, the links between them, and stored response bodies.
 *
 * Written by the fetch module (src/fetch/crawl.c) and read by every later
 * stage: link availability, soft-404 detection, the page checks (which
 * rebuild the page model from a stored body with gw_store_body_get and
 * html/page.h, without refetching). Strings are owned by the record and
 * freed by the matching *_clear; an id of 0 means "none" or "not stored";
 * times are Unix seconds (UTC). Enum values are stored as numbers and must
 * never be renumbered (add at the end). */
#ifndef GW_STORE_CRAWL_RECORDS_H
#define GW_STORE_CRAWL_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gw_crawl_state {
  GW_CRAWL_RUNNING = 1,    /* started and not finished: a process is on it, or it died (kill -9) */
  GW_CRAWL_DONE = 2,       /* the frontier ran empty (or the caps were reached) */
  GW_CRAWL_INTERRUPTED = 3 /* stopped on a signal or an error before the end; a re-run resumes it */
};

/* One crawl of one site. A crawl keeps its rows through resumes: a re-run
 * of an interrupted or killed crawl continues the same crawl (runs + 1). */
struct gw_crawl {
  int64_t id;
  int64_t site_id;
  enum gw_crawl_state state;
  int64_t started_at;  /* the first run's start */
  int64_t finished_at; /* 0 until done or interrupted */
  int64_t as_of;       /* the as-of time the crawl was made for (dates without a year) */
  int64_t prev_id;     /* the finished crawl whose ETag/Last-Modified per URL this crawl sends; 0 = none */
  int runs;            /* 1 + the number of resumes */
  char *options;       /* JSON object: the limits and flags the crawl ran with (first run) */
  char *robots;        /* JSON object per internal host: status, crawl_delay, rules, ...; NULL until read */
  char *summary;       /* JSON object written when the crawl ends (see docs/crawl.md); NULL before */
};

/* What a crawl URL is for. */
enum gw_url_kind {
  GW_URL_PAGE = 1,     /* internal, fetched with GET; an HTML answer is parsed and its links followed */
  GW_URL_RESOURCE = 2, /* internal image, script, style sheet or attachment: HEAD (GET when HEAD fails) */
  GW_URL_EXTERNAL = 3, /* outside the site (other host or outside the path prefix): HEAD, then GET, never crawled */
  GW_URL_ROBOTS = 4    /* /robots.txt of an internal host, fetched first */
};

enum gw_url_state {
  GW_URL_QUEUED = 1,  /* waiting (also what a killed run had in flight) */
  GW_URL_DONE = 2,    /* an HTTP answer was received (any status, see http_status and error) */
  GW_URL_FAILED = 3,  /* no usable HTTP answer after all attempts (see error) */
  GW_URL_SKIPPED = 4  /* admitted to the table but never fetched (see skip) */
};

enum gw_skip_reason {
  GW_SKIP_NONE = 0,
  GW_SKIP_TRAP = 1,   /* a crawler trap; skip_detail says which rule cut it off */
  GW_SKIP_DEPTH = 2,  /* beyond max_depth */
  GW_SKIP_CAP = 3,    /* beyond max_pages */
  GW_SKIP_ROBOTS = 4, /* disallowed by robots.txt under --obey-robots */
  GW_SKIP_COUNT_
};

/* The outcome class of a fetch. Set on FAILED rows and on DONE rows whose
 * answer is an error (http, blocked, too_large); GW_FE_NONE on a good DONE
 * row. A link checker maps these to broken / unknown / fine; docs/crawl.md
 * has the table. */
enum gw_fetch_error {
  GW_FE_NONE = 0,
  GW_FE_DNS = 1,                /* the host name does not resolve (or is not mapped under mapped_only) */
  GW_FE_CONNECT = 2,            /* connection refused or unreachable */
  GW_FE_TIMEOUT = 3,            /* connect or total timeout */
  GW_FE_RESET = 4,              /* connection closed or reset before a complete answer */
  GW_FE_TLS = 5,                /* TLS handshake or certificate failure */
  GW_FE_HTTP = 6,               /* an HTTP error status (4xx other than 403/429, 5xx), see http_status */
  GW_FE_TOO_LARGE = 7,          /* the body passed network.max_body; kept cut at the cap */
  GW_FE_TOO_MANY_REDIRECTS = 8, /* more than 10 redirects */
  GW_FE_REDIRECT_LOOP = 9,      /* a redirect came back to a URL of its own chain */
  GW_FE_BLOCKED = 10,           /* 403 or 429 (a WAF or rate limit): availability unknown, never "broken" */
  GW_FE_BAD_REDIRECT = 11,      /* a 3xx without a usable Location (missing, not http(s), malformed) */
  GW_FE_PROTOCOL = 12,          /* a malformed answer (bad header, bad content encoding) */
  GW_FE_OTHER = 13,             /* anything else libcurl reports; error_text has its words */
  GW_FE_COUNT_
};

/* One URL of a crawl and, once fetched, its outcome. (crawl_id, url) is
 * unique. Response fields describe the last request of the last attempt:
 * after redirects, the final hop. */
struct gw_crawl_url {
  int64_t id;
  int64_t crawl_id;
  char *url;                   /* normalised (fetch/url.h) */
  int depth;                   /* links from the homepage (robots.txt and the homepage: 0) */
  int64_t from_id;             /* the page whose link first reached it; 0 for seeds */
  enum gw_url_kind kind;
  bool internal;               /* in the site's scope */
  enum gw_url_state state;
  enum gw_skip_reason skip;
  char *skip_detail;           /* the rule that cut a trap off, the limit reached, ... */
  int attempts;                /* tries made (each may have followed redirects) */
  char *method;                /* "GET" or "HEAD" of the final request; NULL before a fetch */
  int http_status;             /* final HTTP status; 0 = none; 304 = not modified (see reused_id) */
  enum gw_fetch_error error;
  char *error_text;            /* libcurl's or our words for the error */
  int redirects;               /* redirect hops followed */
  char *redirect_chain;        /* JSON [{"url","status","location"}, ...] of the hops; NULL if none */
  char *final_url;             /* where the redirects ended; NULL if none */
  char *content_type;          /* Content-Type of the final answer, as sent */
  char *charset;               /* the charset the body was decoded with ("UTF-8", "GB18030"), parsed pages */
  char *charset_source;        /* "header", "meta", "bom", "detected", "default" */
  int64_t body_id;             /* stored raw body (Content-Encoding removed), 0 = none kept */
  int64_t body_bytes;          /* bytes of body received (decoded) */
  bool body_truncated;         /* cut at network.max_body */
  bool parsed;                 /* parsed as HTML; its links are in page_links */
  char *title;                 /* <title> of a parsed page */
  int links;                   /* link rows stored for this page */
  int64_t fetched_at;          /* when the final answer arrived */
  char *etag;                  /* ETag of the final answer, as sent */
  char *last_modified;         /* Last-Modified of the final answer, as sent */
  int elapsed_ms;              /* total time of the final request */
  char *ip;                    /* address connected to for the final request */
  int ip_family;               /* 4 or 6, 0 = no connection */
  int64_t reused_id;           /* on a 304: the previous crawl's row whose body this row reuses */
  char *attempt_log;           /* JSON [{"method","status","error","ms","retry_after"}, ...] when attempts > 1 or HEAD fell back to GET */
  bool notfound_known;         /* notfound was taken from the page model (parsed pages, crawls since migration 10) */
  uint64_t notfound;           /* the page's not-found phrases (html/notfound.h mask), when known */
};

/* One link occurrence on a parsed page: (from_id, seq) is unique; seq is
 * the link's index among the page's kept links (document order). */
struct gw_link_row {
  int64_t from_id;       /* the page (crawl_urls.id) */
  int seq;
  int64_t to_id;         /* the target (crawl_urls.id, same crawl) */
  char *tag;             /* "a", "img", "script", "stylesheet", "iframe", ... (html/page.h kind names) */
  char *anchor;          /* anchor text, or alt/title of an image; "" if none */
  unsigned hidden;       /* html/page.h enum gw_hide bits; 0 = visible */
  long line;             /* source line on the page; 0 unknown */
  bool in_footer;
  bool on_homepage;      /* the page is the site's homepage (depth 0) */
};

/* Counts over one crawl, for summaries (gw_store_crawl_stats). */
struct gw_crawl_stats {
  int64_t urls;                          /* rows */
  int64_t by_state[5];                   /* index enum gw_url_state */
  int64_t by_kind[5];                    /* index enum gw_url_kind */
  int64_t internal, external;            /* rows by scope */
  int64_t fetched;                       /* DONE or FAILED rows (robots.txt included) */
  int64_t pages_ok;                      /* internal PAGE/RESOURCE rows DONE with 2xx or 304 */
  int64_t parsed;                        /* rows parsed as HTML */
  int64_t not_modified;                  /* 304 answers reused */
  int64_t redirected;                    /* rows that followed at least one redirect */
  int64_t body_bytes;                    /* bytes received (decoded) */
  int64_t by_error[GW_FE_COUNT_];        /* rows with that error (GW_FE_NONE: good answers) */
  int64_t by_skip[GW_SKIP_COUNT_];
  int64_t links, links_internal, links_external; /* link rows, by the target's scope */
  int64_t status_4xx, status_5xx;        /* final statuses */
};

void gw_crawl_clear(struct gw_crawl *c);
void gw_crawl_url_clear(struct gw_crawl_url *u);
void gw_link_row_clear(struct gw_link_row *l);

struct gw_crawl_list { struct gw_crawl *v; size_t n; };
void gw_crawl_list_free(struct gw_crawl_list *l);

/* English keywords of the enums, as the CLI, JSON and docs show them
 * ("running", "page", "queued", "trap", "dns"); never NULL ("?" when out
 * of range). */
const char *gw_crawl_state_key(enum gw_crawl_state s);
const char *gw_url_kind_key(enum gw_url_kind k);
const char *gw_url_state_key(enum gw_url_state s);
const char *gw_skip_reason_key(enum gw_skip_reason r);
const char *gw_fetch_error_key(enum gw_fetch_error e);
/* Chinese labels for what users read (失败原因, 跳过原因). */
const char *gw_fetch_error_label(enum gw_fetch_error e);
const char *gw_skip_reason_label(enum gw_skip_reason r);

#endif
