/* Link availability (链接可用性): every link of a crawl classified once,
 * with the pages that carry it, soft 404s found, and the check
 * "links.broken" that turns broken links into findings for the rules
 * link.broken.homepage and link.broken.other.
 *
 * The crawler has already fetched every link target once (HEAD, GET when
 * HEAD is refused; retries for transient failures) and recorded the outcome
 * (store/crawl_records.h). Classification reads those rows; it never
 * fetches a target again. The only request made here is one canary per
 * internal host: a random path that cannot exist, derived from the crawl
 * id, whose answer shows what the site's error page looks like (and
 * whether the server answers 404 at all), so a 200 page that is really an
 * error page (a soft 404) can be recognised. `govwatch links` and the check
 * use this same code. docs/checks.md has the classification table. */
#ifndef GW_CHECKS_LINKS_H
#define GW_CHECKS_LINKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"

/* The check "links.broken" (registered in checks/registry.c). */
extern const struct gw_check gw_check_links_broken;

/* The rule keys it emits (the national rule set deducts per link). */
#define GW_RULE_LINK_BROKEN_HOMEPAGE "link.broken.homepage"
#define GW_RULE_LINK_BROKEN_OTHER "link.broken.other"

enum gw_link_class {
  GW_LC_OK = 1,     /* 正常: a 2xx answer (or 304 reusing one) */
  GW_LC_REDIRECTED, /* 重定向: a 2xx answer after redirects */
  GW_LC_BROKEN,     /* 不可用: counted as a broken link */
  GW_LC_UNKNOWN,    /* 无法判断: 401/403/429, an incomplete answer, ... never counted as broken */
  GW_LC_UNCHECKED,  /* 未检查: skipped by the crawler (trap, depth, page cap, robots.txt) or never fetched */
  GW_LC_COUNT_
};

/* Why a link has its class: one entry of the classification table. */
enum gw_link_reason {
  GW_LR_OK = 0,             /* 2xx */
  GW_LR_NOT_MODIFIED,       /* 304 to the crawl's conditional request: the previous answer stands */
  GW_LR_TOO_LARGE,          /* 2xx whose body passed the size cap: it exists */
  GW_LR_REDIRECTED,         /* 2xx after redirects */
  GW_LR_HTTP_4XX,           /* 4xx other than 401, 403, 407, 429 */
  GW_LR_HTTP_5XX,           /* 5xx after the crawler's retries */
  GW_LR_SOFT_404,           /* 2xx but the content is the site's error page */
  GW_LR_DNS,                /* the host name does not resolve */
  GW_LR_CONNECT,            /* connection refused or unreachable */
  GW_LR_TIMEOUT,            /* timed out after the crawler's retries */
  GW_LR_RESET,              /* no answer at all: the connection was closed, after retries */
  GW_LR_TLS,                /* HTTPS handshake or certificate failure */
  GW_LR_REDIRECT_LOOP,      /* a redirect came back to a URL of its own chain */
  GW_LR_TOO_MANY_REDIRECTS, /* more than 10 redirects */
  GW_LR_BAD_REDIRECT,       /* a 3xx without a usable Location */
  GW_LR_PROTOCOL,           /* a malformed answer (bad header or content encoding, 1xx) */
  GW_LR_BLOCKED,            /* 403 or 429: a WAF or rate limit, availability unknown */
  GW_LR_AUTH,               /* 401 or 407: needs a login */
  GW_LR_PARTIAL,            /* a status came but the body was cut off, after retries */
  GW_LR_ODD_STATUS,         /* a final status that says nothing (3xx not followed, 304 unasked) */
  GW_LR_OTHER,              /* another client-side failure (libcurl's words in error_text) */
  GW_LR_SKIPPED,            /* the crawler skipped it (see the row's skip reason) */
  GW_LR_NOT_FETCHED,        /* still queued (an unfinished crawl) */
  GW_LR_COUNT_
};

/* Classify one crawl row from its recorded outcome (state, error, status,
 * redirects); soft 404s are found later, by gw_links_analyze. Pure. */
void gw_links_classify(const struct gw_crawl_url *u, enum gw_link_class *cls, enum gw_link_reason *reason);

/* Names: English keys ("broken", "http_4xx") for JSON and the CLI, Chinese
 * labels for users; never NULL ("?" out of range). */
const char *gw_link_class_key(enum gw_link_class c);
const char *gw_link_class_label(enum gw_link_class c);
const char *gw_link_reason_key(enum gw_link_reason r);
const char *gw_link_reason_label(enum gw_link_reason r);

/* ---- Soft 404 ---- */

/* The not-found phrases are html/notfound.h's (gw_notfound_*); a
 * verdict's phrase set is a bit mask over that list. */

/* Visible text of at most this many characters makes a page "tiny". */
#define GW_SOFT404_TINY_CHARS 150
/* Least similarity of a page's visible text to the canary's error page. */
#define GW_SOFT404_SIMILAR 0.9

/* What a page (or the canary) looks like to the judgement. */
struct gw_soft404_page {
  const char *title;  /* may be NULL */
  const char *text;   /* visible text */
  size_t text_len;
};

struct gw_soft404_verdict {
  bool soft;          /* a soft 404 */
  bool weak;          /* judged from the page alone (tiny + phrase), without the canary's confirmation */
  uint64_t phrases;   /* the page's not-found phrases */
  uint64_t shared;    /* those the canary's error page also shows */
  double similarity;  /* of the visible texts (common head + tail over the longer), 0 without a canary */
  size_t chars;       /* characters of the page's visible text */
};

/* Judge a 2xx page. It is a soft 404 when it shows a not-found phrase and
 * either (a) the canary's error page shows one of the same phrases and the
 * two visible texts are at least GW_SOFT404_SIMILAR alike, or (b) it is
 * tiny (at most GW_SOFT404_TINY_CHARS characters of text; weak). canary
 * NULL (no canary answer with a body) leaves only (b). Pure. */
void gw_links_soft404_judge(const struct gw_soft404_page *page, const struct gw_soft404_page *canary,
                            struct gw_soft404_verdict *out);

/* The canary URL of a host for a crawl: scheme://authority + a path made
 * from the crawl id and the authority (the same for every run of the same
 * crawl, so re-running the checks asks the same question). malloc'd;
 * `origin` is "scheme://authority". */
char *gw_links_canary_url(const char *origin, int64_t crawl_id);

/* ---- Analysis of a crawl ---- */

/* One occurrence of a link on a page. */
struct gw_link_source {
  int64_t from_id;
  const char *page;   /* the page's URL (the report's target entry of that page owns it) */
  char *tag;          /* a, img, script, stylesheet, iframe, ... */
  char *anchor;       /* anchor text or alt; "" if none */
  long line;          /* source line, 0 unknown */
  unsigned hidden;    /* html/page.h enum gw_hide bits */
  bool in_footer;
  bool on_homepage;   /* the page is the site's homepage */
};

/* What the canary of one host answered. */
struct gw_link_canary {
  char *origin;       /* scheme://authority */
  char *url;          /* the canary URL asked */
  bool asked;         /* a probe was made (false: probing off or no candidate page) */
  int status;         /* 0 = no answer */
  enum gw_fetch_error error;
  char *error_text;
  char *final_url;    /* where it redirected, NULL if it did not */
  char *title;        /* of its page, NULL if no HTML body */
  char *text;         /* visible text of its page, NULL if none */
  size_t text_len;
  uint64_t phrases;
  int64_t fetched_at;
  size_t soft404s;    /* pages of this host judged soft 404 */
};

/* One URL of the crawl with its outcome, class, and the links to it. */
struct gw_link_target {
  int64_t id;
  char *url;
  enum gw_url_kind kind;
  bool internal;
  int depth;
  enum gw_url_state state;
  enum gw_skip_reason skip;
  int attempts;
  char *method;
  int http_status;
  enum gw_fetch_error error;
  char *error_text;
  int redirects;
  char *redirect_chain;      /* JSON, as the crawler recorded it */
  char *final_url;
  char *content_type;
  char *title;
  char *charset;             /* the charset its body was decoded with by the crawler */
  int64_t body_id;           /* stored body, 0 = none */
  int64_t body_bytes;
  bool parsed;
  bool notfound_known;       /* the crawler kept the page's not-found phrases (crawls since migration 10) */
  uint64_t notfound;         /* those phrases (html/notfound.h mask) */
  int64_t fetched_at;
  enum gw_link_class cls;
  enum gw_link_reason reason;
  struct gw_soft404_verdict soft404; /* valid when reason is GW_LR_SOFT_404 */
  size_t canary;             /* index in the report's canaries when judged against one, else SIZE_MAX */
  /* links to it */
  size_t occurrences;        /* link rows */
  size_t pages;              /* distinct source pages */
  size_t home_occurrences;   /* on the homepage */
  size_t other_occurrences;  /* on other pages */
  size_t other_pages;        /* distinct other pages */
  struct gw_link_source *src; /* homepage occurrences all, other pages' up to max_sources, in (page, seq) order */
  size_t n_src, src_cap;
  bool src_truncated;        /* occurrences were left out of src */
};

struct gw_link_report {
  int64_t crawl_id;
  char *homepage;            /* the crawl's homepage URL (depth 0 page), NULL if none */
  struct gw_link_target *v;  /* every URL row of the crawl, in id order (occurrences 0 = nothing links it) */
  size_t n;
  struct gw_link_canary *canaries;
  size_t n_canaries;
  size_t by_class[GW_LC_COUNT_]; /* linked targets (occurrences > 0) per class */
  size_t linked;             /* targets with occurrences > 0 */
};

struct gw_links_opts {
  gw_check_probe_fn probe;   /* for the canaries; NULL = none (soft 404s only from tiny pages) */
  void *probe_ctx;
  size_t max_sources;        /* other pages' occurrences kept per target; 0 = GW_LINKS_MAX_SOURCES */
};

#define GW_LINKS_MAX_SOURCES 1000

/* Classify every URL of the view's crawl, gather the links to each, and
 * judge the internal 2xx HTML pages for soft 404s (asking one canary per
 * internal origin that has such pages, when opts->probe is set). Store
 * failures are errors; a failed canary is recorded in its entry and the
 * judgement falls back to tiny pages. On success *out is filled; free it
 * with gw_link_report_free. */
int gw_links_analyze(struct gw_check_view *v, const struct gw_links_opts *o, struct gw_link_report *out);
void gw_link_report_free(struct gw_link_report *r);

/* Which occurrences a JSON description covers. */
enum gw_links_scope {
  GW_LINKS_SCOPE_ALL = 0,  /* every page */
  GW_LINKS_SCOPE_HOMEPAGE, /* the homepage's links (a link.broken.homepage finding) */
  GW_LINKS_SCOPE_OTHER     /* other pages' links (a link.broken.other finding) */
};

/* A target as a JSON object, the evidence of a finding and the rows of
 * `govwatch links --json`: target, scope, class and reason (keys and
 * Chinese labels), detail, status, error, error_text, method, attempts,
 * redirects, final_url, redirect_chain, internal, kind, fetched_at,
 * crawl_id, pages and occurrences (of the scope), homepage_occurrences,
 * sources (page, tag, anchor, line, hidden, in_footer, on_homepage),
 * sources_truncated, and soft_404 (the judgement and its canary, or null).
 * The caller owns the result. */
json_t *gw_links_target_json(const struct gw_link_report *r, const struct gw_link_target *t,
                             enum gw_links_scope scope);

/* What went wrong with a target, in Chinese, for findings and listings
 * ("返回 HTTP 404", "域名 www.x.cn 无法解析", "重定向循环：a → b → a",
 * "软404：页面返回200但内容为错误页"); written into buf, returned. */
const char *gw_links_describe(const struct gw_link_target *t, char *buf, size_t size);

#endif
