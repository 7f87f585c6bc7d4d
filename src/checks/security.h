/* Security checks (暗链, 挂马, 篡改): hidden links to other hosts or to
 * spam, links and scripts pointing at gambling, porn or lottery content or
 * at hosts outside an allow list, cloaking (a page that shows a search
 * engine's crawler other links than a browser), and homepage tampering
 * against a per-site baseline.
 *
 * The word lists are data in dict/security/ (format in
 * dict/security/README.md), loaded with file:line errors. The pieces that
 * decide (keyword matching, own-host test, homepage signatures and their
 * difference, the cloaking comparison) are public so tests and the CLI use
 * exactly what the checks use. docs/checks.md describes the findings. */
#ifndef GW_CHECKS_SECURITY_H
#define GW_CHECKS_SECURITY_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/check.h"
#include "core/str.h"
#include "html/page.h"

extern const struct gw_check gw_check_security_bad_link;
extern const struct gw_check gw_check_security_defacement;
extern const struct gw_check gw_check_security_hidden_link;

/* The spam categories of keywords.txt. */
enum gw_spam_cat { GW_SPAM_GAMBLING = 0, GW_SPAM_PORN, GW_SPAM_LOTTERY, GW_SPAM_CAT_COUNT_ };

/* English key ("gambling") and Chinese label ("赌博") of a category. */
const char *gw_spam_cat_key(enum gw_spam_cat c);
const char *gw_spam_cat_label(enum gw_spam_cat c);

/* The loaded lists. */
struct gw_security_dict;

/* Load DIR/keywords.txt and DIR/script-hosts.txt. Errors: GW_EIO naming a
 * file that cannot be read; GW_EINVAL as "DIR/keywords.txt:12: ..." for a
 * malformed line (unknown category, missing word, duplicate, a host with
 * characters a host cannot have), GW_ELIMIT for a line or file over the
 * caps of the README. On success *out is a new dictionary to free with
 * gw_security_dict_free. */
int gw_security_dict_load(struct gw_security_dict **out, const char *dir);
void gw_security_dict_free(struct gw_security_dict **d);
/* The directory the checks load: gw_dict_dir()/security (core/dict.h:
 * $GW_DICT_DIR, ./dict, or the dict/ of the source tree the build
 * came from). Written into buf (always terminated); returns buf. */
char *gw_security_dict_dir(char *buf, size_t size);

/* One keyword hit. */
struct gw_spam_hit {
  const char *word;       /* the dictionary's word (owned by the dictionary) */
  enum gw_spam_cat cat;
};

/* The first keyword found in an anchor or page text (substring words) or,
 * when url is not NULL, in the URL (ASCII token words). False if none. */
bool gw_security_match(const struct gw_security_dict *d, const char *text, const char *url, struct gw_spam_hit *hit);
/* Every distinct keyword in text (substring words only), in dictionary
 * order, appended to out. */
void gw_security_words(const struct gw_security_dict *d, const char *text, struct gw_strv *out);
/* Whether a script host is allowed by script-hosts.txt. */
bool gw_security_script_host_allowed(const struct gw_security_dict *d, const char *host);

/* Whether `host` belongs to the site whose homepage host is `site_host`:
 * the same host, or a host of the site's domain (the last three labels
 * under .gov.cn/.org.cn/.com.cn/..., else the last two: for
 * www.qingxi.gov.cn every *.qingxi.gov.cn). Case-insensitive. */
bool gw_security_same_site(const char *site_host, const char *host);
/* Whether the host is a government one (.gov.cn or .政务). */
bool gw_security_gov_host(const char *host);
/* The host of an http(s) URL, lower case, into buf; "" when none. */
char *gw_security_url_host(const char *url, char *buf, size_t size);

/* A homepage signature: its visible text lines and link targets, for the
 * defacement baseline. */
struct gw_home_sig {
  struct gw_strv lines;  /* distinct non-empty text lines, sorted */
  struct gw_strv links;  /* distinct <a>/<area> targets, sorted */
  struct gw_strv spam;   /* keywords in the text and anchors, sorted */
};

/* Build the signature of a parsed homepage. */
void gw_home_sig_build(const struct gw_security_dict *d, const struct gw_page *p, struct gw_home_sig *out);
void gw_home_sig_free(struct gw_home_sig *s);
/* As JSON {"lines":[...],"links":[...],"spam":[...]} (caller frees) and
 * back; parse gives GW_EINVAL naming what is wrong with the text. */
char *gw_home_sig_json(const struct gw_home_sig *s);
int gw_home_sig_parse(const char *json, struct gw_home_sig *out);

/* How a homepage differs from its baseline. */
struct gw_home_diff {
  double text_change;   /* 1 - |common lines| / |all lines|, 0..1 */
  double link_change;   /* the same over link targets */
  struct gw_strv added_lines, removed_lines;
  struct gw_strv added_links, removed_links;
  struct gw_strv new_spam;  /* keywords now present, absent from the baseline */
};

void gw_home_diff(const struct gw_home_sig *base, const struct gw_home_sig *now, struct gw_home_diff *out);
void gw_home_diff_free(struct gw_home_diff *d);
/* Whether the difference is a finding: new spam words, or text or link
 * change above threshold. */
bool gw_home_diff_alarm(const struct gw_home_diff *d, double threshold);

/* The default change ratio for new baselines. */
#define GW_DEFACE_THRESHOLD 0.5

/* The User-Agents of the cloaking comparison. */
#define GW_UA_BAIDUSPIDER "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
#define GW_UA_BROWSER \
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
/* Pages of a crawl compared for cloaking: the homepage and the next ones. */
#define GW_CLOAK_PAGES 10

/* The cloaking comparison of one page fetched as a crawler and as a
 * browser. */
struct gw_cloak_diff {
  struct gw_strv crawler_only_links; /* <a>/<area> targets only the crawler got, on other hosts */
  struct gw_strv crawler_only_spam;  /* keywords only in the crawler's text or anchors */
  double link_change;                /* over every <a>/<area> target, as in gw_home_diff */
};

/* Compare; site_host decides what another host is. */
void gw_cloak_compare(const struct gw_security_dict *d, const char *site_host, const struct gw_page *crawler,
                      const struct gw_page *browser, struct gw_cloak_diff *out);
void gw_cloak_diff_free(struct gw_cloak_diff *c);
/* Whether it is cloaking: spam words only the crawler sees, or at least
 * three links to other hosts only the crawler gets with a link change
 * above 0.2. */
bool gw_cloak_alarm(const struct gw_cloak_diff *c);

/* Set the homepage baseline of `site` from crawl `crawl_id` (what
 * `govwatch baseline SITE --accept` does): threshold in (0, 1], or 0 to
 * keep the site's current one (GW_DEFACE_THRESHOLD for a first baseline).
 * GW_ENOTFOUND when the crawl has no parsed homepage; dictionary and store
 * errors as they come. */
int gw_security_baseline_accept(struct gw_store *st, const struct gw_site *site, int64_t crawl_id, double threshold);

#endif
