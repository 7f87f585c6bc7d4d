/* Probes: one URL fetched on its own, for the checks that must ask a server
 * something the crawl did not (the soft-404 canary, later IPv6 reachability,
 * cloaking, the search box).
 *
 * A probe is one libcurl easy transfer per request, synchronous, with the
 * crawler's network rules: the configured connect_to mappings and
 * mapped_only (an unmapped host fails as a DNS failure without a look-up,
 * also for a redirect target), timeouts, User-Agent, a body cap, and IPv4 or
 * IPv6 forced on request. A host mapped twice, to an IPv4 and to a
 * bracketed IPv6 address ("h:80:127.0.0.1:8080" and "h:80:[::1]:8080"), is
 * dual-stack: a probe forced to IPv6 connects with the IPv6 rule, one
 * forced to IPv4 with the IPv4 rule, an unforced one with the first rule
 * (curl's order); a host whose rules all name addresses of the other family
 * fails as a DNS failure (no address of that family) without a look-up.
 * Redirects are followed one hop at a time (so each
 * hop obeys mapped_only) and recorded; loops and more than
 * GW_PROBE_MAX_REDIRECTS hops are reported as such. Transient failures
 * (timeouts, resets, refused connections, 429 and 500/502/503/504) are
 * tried again up to `attempts` times with doubling back-off, honouring
 * Retry-After up to GW_PROBE_MAX_WAIT_MS. A HEAD that the server refuses or
 * cannot answer is asked again with GET, as the crawler does.
 *
 * Outcomes are classified with the crawler's enum gw_fetch_error
 * (store/crawl_records.h), so a check can compare a probe with a crawl row. */
#ifndef GW_FETCH_PROBE_H
#define GW_FETCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "store/crawl_records.h"

#define GW_PROBE_MAX_REDIRECTS 10
/* The longest wait between two tries (a longer Retry-After ends the probe). */
#define GW_PROBE_MAX_WAIT_MS 60000L

/* Network settings shared by every probe of a run (config network.*). */
struct gw_probe_opts {
  const char *user_agent;
  char *const *connect_to;  /* "HOST:PORT:CONNECT_HOST:CONNECT_PORT", borrowed */
  size_t n_connect_to;
  bool mapped_only;
  long timeout_ms;          /* total per request */
  long connect_timeout_ms;
  int attempts;             /* tries of a transient failure, >= 1 */
  long retry_base_ms;       /* first back-off */
  size_t max_body;          /* body bytes kept */
  const char *ca_file;      /* PEM bundle of certificate authorities to trust instead of the
                             * system's (tests, private CAs); NULL = the system's */
};

/* Defaults as gw_config_defaults gives them (15 s, 10 s, 3 tries, 1000 ms,
 * 10 MiB, the GovWatch User-Agent). */
void gw_probe_opts_default(struct gw_probe_opts *o);
/* From a loaded configuration; strings borrowed from cfg. */
void gw_probe_opts_from_config(struct gw_probe_opts *o, const struct gw_config *cfg);

/* One probe. */
struct gw_probe_req {
  const char *url;         /* absolute http(s) URL; normalised before use */
  bool head;               /* HEAD (GET when the server refuses HEAD) instead of GET */
  bool no_follow;          /* report a redirect instead of following it */
  int ip_version;          /* 0 = any, 4 or 6: CURLOPT_IPRESOLVE */
  size_t max_body;         /* 0 = opts.max_body */
  int attempts;            /* 0 = opts.attempts */
  const char *user_agent;  /* NULL = opts.user_agent (cloaking checks send another) */
  bool tls_no_verify;      /* HTTPS without verifying the certificate (to read one that fails) */
  bool tls_info;           /* fill gw_probe_result.tls (the TLS check) */
};

/* The TLS session of the final request, when gw_probe_req.tls_info asked
 * for it and the handshake completed (OpenSSL's words, as libcurl gives
 * them). */
struct gw_probe_tls {
  bool present;            /* an HTTPS handshake completed */
  char *version;           /* "TLSv1.3", NULL when not seen */
  char *cipher;            /* "TLS_AES_256_GCM_SHA384", NULL when not seen */
  char *subject;           /* the server certificate's subject, e.g. "CN = www.x.gov.cn" */
  char *issuer;
  char *san;               /* its subject alternative names as printed ("DNS:www.x.gov.cn"), NULL if none */
  int64_t not_before, not_after; /* validity (Unix seconds), 0 unknown */
  int chain;               /* certificates the server sent */
};

struct gw_probe_result {
  char *url;               /* the URL asked, normalised */
  int status;              /* final HTTP status, 0 = no answer */
  enum gw_fetch_error error; /* GW_FE_NONE for a good answer; as the crawler classifies */
  char *error_text;        /* libcurl's or our words, NULL when error is NONE */
  char *method;            /* "GET" or "HEAD" of the final request */
  char *final_url;         /* where redirects ended; NULL without redirects */
  int redirects;           /* hops followed */
  char *redirect_chain;    /* JSON [{"url","status","location"}, ...]; NULL without redirects */
  char *content_type;      /* of the final answer, as sent; may be NULL */
  char *body;              /* the final answer's body (Content-Encoding removed), NUL-terminated; never NULL */
  size_t body_len;
  bool body_truncated;     /* cut at the cap (error is then GW_FE_TOO_LARGE) */
  int attempts;            /* requests made in all (tries, hops, HEAD->GET) */
  long retry_after;        /* the last Retry-After seen in seconds, -1 none */
  int elapsed_ms;          /* time of the final request */
  int total_ms;            /* time of every request of the probe, waits excluded */
  char *ip;                /* address of the final connection, NULL if none */
  int ip_family;           /* 4, 6, 0 = none */
  int64_t fetched_at;      /* when the final answer came (gw_now) */
  struct gw_probe_tls tls; /* with req.tls_info */
};

/* Fetch r->url. Network failures, HTTP errors and bad redirects are
 * results (GW_OK with out->error set), not errors. Errors: GW_EINVAL when
 * the URL is not an absolute http(s) URL or an option is out of range
 * (naming it), GW_ENOMEM when libcurl cannot start. *out is written only
 * on success; free it with gw_probe_result_clear. Thread-safe: every call
 * has its own handle. */
int gw_probe_fetch(const struct gw_probe_opts *o, const struct gw_probe_req *r, struct gw_probe_result *out);

void gw_probe_result_clear(struct gw_probe_result *r);

#endif
