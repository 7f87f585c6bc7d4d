/* Site search (站内搜索): the check "search.box".
 *
 * On the homepage of the crawl it looks for the search box: a form with a
 * text input (a form whose action or input name says search is preferred),
 * or failing that a link to a search page. No entry at all is search.missing.
 * With a GET form it then asks the search, through the check probe, for a
 * word taken from each of the (up to GW_SEARCH_TRIES) newest articles the
 * homepage links, and the search is search.broken when no answer lists the
 * article it came from (every attempt, with its query URL, status and
 * result count, is in the evidence). A POST form or a search page link
 * cannot be asked without a browser: existence is all that is judged then.
 * docs/checks.md has the details. */
#ifndef GW_CHECKS_SEARCH_H
#define GW_CHECKS_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"

/* The check (registered in checks/registry.c). */
extern const struct gw_check gw_check_search_box;

#define GW_RULE_SEARCH_MISSING "search.missing"
#define GW_RULE_SEARCH_BROKEN "search.broken"

/* Articles tried, newest first; the search passes when one is found. */
#define GW_SEARCH_TRIES 3
/* Homepage links looked at for articles. */
#define GW_SEARCH_LINKS 60
/* Characters of an article title used as the query word. */
#define GW_SEARCH_WORD_CHARS 12

/* The query word for a title: up to `chars` characters from the start of
 * the title after leading blanks and brackets (【〔[(（「“"), stopping
 * before a trailing ellipsis (… or ...). Written into buf (UTF-8, always
 * terminated); returns the number of characters taken (0 when none). */
size_t gw_search_word(const char *title, size_t chars, char *buf, size_t size);

/* The URL of a GET form's query: action with name=value appended to its
 * query string, the value percent-encoded (UTF-8; unreserved characters
 * kept). malloc'd. */
char *gw_search_query_url(const char *action, const char *name, const char *value);

#endif
