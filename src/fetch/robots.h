/* robots.txt (RFC 9309) for the crawler.
 *
 * The inspection mandate lets GovWatch read every public page of a
 * government site whatever its robots.txt says, but the crawler still reads
 * the file, reports it, honours Crawl-delay, and with --obey-robots skips
 * what it disallows. Parsing follows RFC 9309: records are grouped by
 * consecutive user-agent lines; the groups whose user-agent matches our
 * product token (case-insensitive) apply, else the "*" groups; rules are
 * allow/disallow path patterns with '*' (any run) and a final '$' (end);
 * the longest matching pattern wins and allow wins a tie; an empty disallow
 * allows everything. Crawl-delay (not in the RFC, widely used) is read from
 * the applicable groups. Only the first GW_ROBOTS_MAX_BYTES are parsed. */
#ifndef GW_FETCH_ROBOTS_H
#define GW_FETCH_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

/* The RFC asks parsers to read at least 500 KiB. */
#define GW_ROBOTS_MAX_BYTES (512u * 1024u)
/* Longest Crawl-delay honoured, seconds; a larger value is reported but
 * capped, so one odd robots.txt cannot stall an inspection for hours. */
#define GW_ROBOTS_MAX_DELAY 30.0

struct gw_robots_rule {
  bool allow;
  char *pattern; /* percent-encoding normalised like URLs, '*' and '$' kept */
};

struct gw_robots {
  struct gw_robots_rule *rules; /* of the applicable groups */
  size_t n_rules;
  double crawl_delay;    /* seconds as written (largest of the applicable groups), < 0 = none */
  bool specific;         /* a group named our product token (else "*" applied, or none) */
  size_t groups;         /* user-agent groups in the file */
  size_t lines;          /* lines read */
  size_t bad_lines;      /* lines that were neither blank, comment nor "key: value" */
  bool truncated;        /* the file was longer than GW_ROBOTS_MAX_BYTES */
  struct gw_strv sitemaps;
};

/* Parse robots.txt bytes for the crawler whose product token is `agent`
 * (e.g. "GovWatch"; matched case-insensitively against user-agent lines).
 * Never fails: unreadable lines are counted in bad_lines. A UTF-8 BOM is
 * skipped. *out is overwritten; free with gw_robots_free. */
void gw_robots_parse(const char *data, size_t len, const char *agent, struct gw_robots *out);

/* Whether the applicable rules allow path_and_query ("/a/b?x=1"; the path
 * of a normalised URL with its query). "/robots.txt" is always allowed. */
bool gw_robots_allowed(const struct gw_robots *r, const char *path_and_query);

/* The crawl delay to apply, in milliseconds: 0 when none, the written
 * value capped at GW_ROBOTS_MAX_DELAY. */
long gw_robots_delay_ms(const struct gw_robots *r);

/* The product token of a User-Agent string: its first word up to '/' or
 * white space ("GovWatch/0.1 (...)" -> "GovWatch"), into buf. */
void gw_robots_agent_token(const char *user_agent, char *buf, size_t size);

void gw_robots_free(struct gw_robots *r);

#endif
