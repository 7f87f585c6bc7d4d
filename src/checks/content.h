/* Content checks: serious wording errors, typos and personal-data leaks in
 * the visible text of the pages a crawl fetched.
 *
 * Three checks share one page walk and one set of loaded word lists:
 *   wording.serious  (security.serious_wording) - leader names and titles,
 *                    institution, meeting and law names, administrative
 *                    divisions, fixed expressions, sensitive words, fallen
 *                    officials (text/wording.h, every category but 一般错别字);
 *   wording.typo     (content.typo) - 一般错别字 from the lists and the
 *                    statistical detector (a person must confirm those);
 *   privacy.leak     (security.privacy_leak) - resident ID, mobile and bank
 *                    card numbers (text/privacy.h), masked before they are
 *                    stored anywhere.
 * Pages: every internal URL of the crawl fetched as an HTML page with a
 * stored body, rebuilt through the check view (html/page.h); the text is the
 * page's visible text, in which table rows are one line with the cells
 * separated by blanks, so table cells are scanned with their column headers.
 *
 * Word lists come from the configuration (core/config.h, section content):
 * dict_dir/wording and dict_dir/privacy, the optional confusion sets and the
 * word-frequency dictionary. They are loaded once per process and shared by
 * every run (loading the frequency dictionary takes a noticeable fraction of
 * a second). docs/checks.md describes the findings and their evidence. */
#ifndef GW_CHECKS_CONTENT_H
#define GW_CHECKS_CONTENT_H

#include <stddef.h>

#include "checks/check.h"
#include "core/buf.h"
#include "core/config.h"
#include "text/privacy.h"
#include "text/wording.h"

extern const struct gw_check gw_check_privacy_leak;
extern const struct gw_check gw_check_wording_serious;
extern const struct gw_check gw_check_wording_typo;

#define GW_RULE_SERIOUS_WORDING "security.serious_wording"
#define GW_RULE_TYPO "content.typo"
#define GW_RULE_PRIVACY_LEAK "security.privacy_leak"

/* A suspect found in the same sentence on at least this many pages of one
 * crawl is template text (a header, footer or sidebar every page repeats):
 * it becomes one finding that lists the pages instead of one per page. */
#define GW_CONTENT_TEMPLATE_PAGES 3

/* Suspects gathered per check run at most; past it the run stops gathering
 * and the findings say the list was cut (a site full of hits needs a person,
 * not a longer list). */
#define GW_CONTENT_MAX_HITS 20000

/* Pages named in a template finding's observed values at most. */
#define GW_CONTENT_MAX_PAGES_LISTED 50

/* The wording engine for cfg (NULL = defaults): dict_dir/wording, the
 * frequency dictionary freq_dict (NULL = jieba's, wording.h) and the
 * confusion sets confusion_dir (NULL = none). Loaded on first use for these
 * three paths and kept for the process (several configurations may be
 * loaded side by side); *out is borrowed until gw_content_cache_clear.
 * Errors are gw_wording_new's (a missing directory or dictionary names the
 * path and the configuration key to set). Thread-safe. */
int gw_content_wording(const struct gw_config *cfg, const struct gw_wording **out);

/* The privacy word lists of cfg (dict_dir/privacy), loaded and kept as
 * gw_content_wording keeps engines. Errors are gw_privacy_dict_load's. */
int gw_content_privacy(const struct gw_config *cfg, const struct gw_privacy_dict **out);

/* Free every loaded engine and list. Only when no check runs and nothing
 * borrowed from gw_content_wording / gw_content_privacy is still in use. */
void gw_content_cache_clear(void);

/* Copy s[0..len) into b with every run of 11 or more digits (ASCII or
 * full-width, an ID's trailing X included) masked to its first two and last
 * three characters (33*************075): wording evidence quotes sentences
 * as written, and a sentence may hold a number that privacy.leak reports;
 * no finding may carry it in full. Invalid UTF-8 is copied as U+FFFD. */
void gw_content_mask_numbers(struct gw_buf *b, const char *s, size_t len);

#endif
