/* Not-found phrases: the words an error page uses (页面不存在, 找不到, 404,
 * not found, ...). A page's phrases are a bit mask over this list; the
 * crawler keeps each parsed page's mask (crawl_urls.notfound) and the
 * soft-404 judgment of checks/links.c reads it, so only the pages that say
 * "not found" are read back and parsed again. */
#ifndef GW_HTML_NOTFOUND_H
#define GW_HTML_NOTFOUND_H

#include <stddef.h>
#include <stdint.h>

/* The phrases looked for: their number (at most 64) and the i-th (NULL
 * past the end). */
size_t gw_notfound_phrase_count(void);
const char *gw_notfound_phrase(size_t i);
/* The phrases found in s[0..len) (ASCII letters compared case-blind; "404"
 * inside a longer number does not count). */
uint64_t gw_notfound_phrases(const char *s, size_t len);
/* A page's phrases: those of its visible text and of its title (either
 * may be NULL). */
uint64_t gw_notfound_page(const char *title, const char *text, size_t text_len);

#endif
