/* One classification of libcurl outcomes for every module that fetches.
 *
 * The crawler (fetch/crawl.c), the single-request probe (fetch/probe.c) and
 * the availability monitor (monitor/http_probe.c) all record an
 * enum gw_fetch_error (store/crawl_records.h); mapping libcurl's codes in one
 * place keeps a crawl row, a check's probe and an availability probe
 * comparable. */
#ifndef GW_FETCH_FETCH_ERROR_H
#define GW_FETCH_FETCH_ERROR_H

#include <curl/curl.h>
#include <stdbool.h>

#include "store/crawl_records.h"

/* The class of a libcurl result: CURLE_OK is GW_FE_NONE; DNS, connect,
 * timeout, reset (nothing or part of an answer), TLS, protocol, too many
 * redirects, else GW_FE_OTHER. */
enum gw_fetch_error gw_fetch_error_from_curl(CURLcode cc);
/* Worth retrying after a back-off: timeouts, resets, refused connections. */
bool gw_fetch_error_transient(enum gw_fetch_error e);
/* HTTP statuses worth retrying: 429, 500, 502, 503, 504. */
bool gw_fetch_status_transient(long status);

#endif
