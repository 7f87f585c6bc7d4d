/* URLs for the crawler: normalisation, scope and trap heuristics.
 *
 * Normalisation resolves and parses with libcurl's URL API (CURLU); this
 * file adds only what CURLU leaves alone, so that one resource has one
 * spelling in the frontier and in the store:
 *   - only http and https; the scheme and the ASCII letters of the host are
 *     lower-cased, a trailing dot of the host is dropped;
 *   - the default port (80, 443) is dropped;
 *   - dot segments are resolved and an empty path becomes "/";
 *   - the fragment is dropped; the query is kept in its order ("?" with
 *     nothing after it is dropped);
 *   - percent-encoding of path and query is made consistent: escapes of
 *     unreserved characters (A-Z a-z 0-9 - . _ ~) are decoded, other escapes
 *     get upper-case hex, a '%' not starting an escape becomes %25, and
 *     bytes a URL may not hold raw (controls, space, non-ASCII, " < > \ ^ `
 *     { | }) are escaped; reserved characters are never decoded or encoded;
 *   - like a browser, tabs and newlines inside a reference are removed, and
 *     backslashes before the query are read as slashes (old FrontPage-era
 *     pages write href="..\images\a.gif").
 * The result is a fixed point: normalising it again gives the same string.
 *
 * Scope decides which URLs belong to the site being crawled; the trap
 * heuristics decide which of those a crawler must not follow endlessly.
 * Both are pure functions of strings (gw_traps keeps what it has seen). */
#ifndef GW_FETCH_URL_H
#define GW_FETCH_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "fetch/map.h"

/* The longest URL accepted, in bytes, before and after normalisation. */
#define GW_URL_MAX 4096

/* Normalise `ref`, resolved against `base` when base is not NULL (base must
 * be an absolute URL; a relative ref without a base is an error). On success
 * *out is a malloc'd normalised absolute URL. Errors (nothing written):
 * GW_EINVAL when ref is not a URL, not http(s) (mailto:, javascript:, ftp:),
 * has no host, or is relative without a base; GW_ELIMIT when ref or the
 * result is longer than GW_URL_MAX. The message quotes the reference. */
int gw_url_normalize(const char *base, const char *ref, char **out);

/* The percent-encoding rule of gw_url_normalize applied to s[0..len)
 * alone (for robots.txt patterns and other path fragments compared with
 * normalised URLs). malloc'd. */
char *gw_url_pct_normalize(const char *s, size_t len);

/* The parts of a normalised URL, pointing into it (not NUL-terminated).
 * `host` excludes user information and the port and keeps the brackets of
 * an IPv6 address; `authority` is host[:port] (no user information), the key
 * for per-host politeness. query is NULL when there is none. */
struct gw_url_view {
  const char *scheme;
  size_t scheme_len;
  const char *authority;
  size_t authority_len;
  const char *host;
  size_t host_len;
  const char *path;
  size_t path_len;
  const char *query;
  size_t query_len;
};

/* Split a URL as gw_url_normalize writes it (scheme://[user@]host[:port]
 * /path[?query]) without allocating. False when it does not have that
 * shape; then *v is unspecified. Only for normalised URLs: it resolves
 * nothing. */
bool gw_url_view(const char *url, struct gw_url_view *v);

/* Copy the host of a normalised URL (lower-case, no port) into buf; false
 * when the URL is malformed or the host does not fit. */
bool gw_url_host(const char *url, char *buf, size_t size);

/* ---- Scope ---- */

enum gw_scope_kind {
  GW_SCOPE_INTERNAL = 0, /* the site's host set and under its path prefix */
  GW_SCOPE_EXTERNAL,     /* another host */
  GW_SCOPE_OUTSIDE       /* the site's host, outside its path prefix */
};

/* The hosts and path prefix of one site. */
struct gw_scope {
  char **hosts;  /* lower-case host names, without port */
  size_t n_hosts;
  char *prefix;  /* path prefix, starts and ends with '/' */
};

/* Build the scope of the site registered at site_url (normalised here):
 * its host, the same host with or without a leading "www." (sites answer
 * both and link to either), and `aliases` (host names; each normalised the
 * same way, empty ones skipped). The prefix is the registered path's
 * directory: "/" for "http://h/" or "http://h/index.html", "/sub/" for
 * "http://h/sub/", "http://h/sub/index.html" and "http://h/sub" (a last
 * segment without a dot is taken as a directory). Both schemes and any port
 * of a scope host are in scope. GW_EINVAL naming the URL or alias when one
 * is not usable; *sc is written only on success. */
int gw_scope_init(struct gw_scope *sc, const char *site_url, const char *const *aliases, size_t n_aliases);

/* Where a normalised URL lies relative to the scope. A URL that is not
 * http(s) or not parseable is EXTERNAL. */
enum gw_scope_kind gw_scope_of(const struct gw_scope *sc, const char *url);

/* True when `host` (lower-case, no port) is one of the scope's hosts. */
bool gw_scope_has_host(const struct gw_scope *sc, const char *host);

void gw_scope_free(struct gw_scope *sc);

/* ---- Traps ----
 * A crawler trap is a space of URLs a site generates without end: a
 * calendar whose every month links the next, a relative link that makes
 * /a/b/a/b/a/b/..., a list that accepts its sort and filter parameters in
 * any order. Each heuristic below is a pure function; gw_traps combines
 * them with what the crawl has admitted so far. */

/* Limits of the path heuristics. */
#define GW_TRAP_SEGMENT_REPEAT 3   /* one segment this many times in a path */
#define GW_TRAP_MAX_SEGMENTS 30    /* more path segments than this */
#define GW_TRAP_MAX_URL 2000       /* a URL longer than this, in bytes */

/* True when the URL's path repeats one non-empty segment
 * GW_TRAP_SEGMENT_REPEAT times or more, has more than GW_TRAP_MAX_SEGMENTS
 * segments, or the URL is longer than GW_TRAP_MAX_URL bytes; a short English
 * reason is written to why (e.g. "path segment 'a' repeats 3 times"). */
bool gw_url_trap_path(const char *url, char *why, size_t size);

/* True when `to` is `from` moved along a date axis: the same authority, the
 * same number of path segments and the same query keys in the same order,
 * and every component that differs is date-like in both URLs. Date-like:
 * a value such as 2025-03, 2025.03.12, 2025_3 (year 1000-9999, month, day)
 * anywhere; 202503 or 20250312 (valid month and day) in a path segment or
 * under a date-named query key (year, month, day, date, ym, ymd, y, m, d, or
 * a key containing date/year/month/day); any number under a date-named key;
 * in the path, a 1-2 digit segment right after a 4-digit year segment and a
 * year segment right before one (/2025/03/). Article prev/next links, which
 * change an id as well, are therefore never a step. */
bool gw_url_calendar_step(const char *from, const char *to);

/* The query permutation key of a normalised URL: authority + path + "?" +
 * the '&'-separated query parameters sorted bytewise. NULL (no key) when
 * the query has fewer than two parameters. malloc'd. */
char *gw_url_query_key(const char *url);

/* The crawl-wide trap state. */
struct gw_traps {
  unsigned calendar_depth; /* most calendar steps in a row, e.g. 12 */
  unsigned query_variants; /* most distinct queries of one path, e.g. 1000 */
  struct gw_map perm;      /* query key -> the URL admitted with it */
  struct gw_map variants;  /* authority+path -> (uintptr_t) count of queries admitted */
};

void gw_traps_init(struct gw_traps *t, unsigned calendar_depth, unsigned query_variants);
void gw_traps_free(struct gw_traps *t);

/* Judge the in-scope URL `url`, found on the page `from` (NULL for a seed)
 * whose calendar depth is from_depth. Returns false and writes the cut-off
 * to why ("calendar: 13 date steps from ...", "query permutation of URL",
 * "more than N query variants of PATH", or a path reason) when url is a
 * trap; else true with *depth_out = its calendar depth (from_depth + 1 for
 * a calendar step, 0 otherwise). Does not record the URL: call
 * gw_traps_note once it is admitted. */
bool gw_traps_check(const struct gw_traps *t, const char *from, unsigned from_depth, const char *url,
                    unsigned *depth_out, char *why, size_t size);

/* Record an admitted URL (its query key and its path's query count), so
 * that later permutations and variants are seen. A resumed crawl replays
 * every admitted URL through this in admission order. */
void gw_traps_note(struct gw_traps *t, const char *url);

#endif
