/* Personal-information leak detector (个人隐私泄露): resident ID numbers,
 * mobile numbers and bank card numbers in page text.
 *
 * gw_privacy_scan() reads UTF-8 text (page text, or a table rendered as one
 * row per line with cells separated by tabs, spaces or '|') and reports
 * every number that looks like a person's, with a confidence and the reasons
 * for it. The full value never leaves this module: hits carry a masked value
 * (138****1234, 35*************123, 6222***********1234) and a snippet in
 * which every long number is masked, both built before the callback runs.
 * Callers that need the place use start/len into their own text.
 *
 * What counts as context (身份证, 联系电话, 银行卡 ...), which numbers are
 * published service numbers (12345, 95xxx, an office's own hotlines) and
 * which surnames start a name come from word lists (dict/privacy/), loaded
 * into a gw_privacy_dict once and shared read-only by any number of scans.
 * docs/privacy.md describes the rules and the file formats. */
#ifndef GW_TEXT_PRIVACY_H
#define GW_TEXT_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What kind of personal number a hit is. */
enum gw_privacy_kind {
  GW_PRIVACY_ID18,      /* 18-digit resident ID (GB 11643) */
  GW_PRIVACY_ID15,      /* 15-digit legacy resident ID (births 1900-1999) */
  GW_PRIVACY_MOBILE,    /* mainland mobile number 1[3-9]xxxxxxxxx */
  GW_PRIVACY_BANK_CARD  /* 16-19 digit bank card number (Luhn) */
};

/* How sure the detector is that the number is a person's. */
enum gw_privacy_conf {
  GW_PRIVACY_LOW,    /* shaped right, but labelled as a public number or failing a check */
  GW_PRIVACY_MEDIUM, /* shaped and checked right, nothing around it says whose */
  GW_PRIVACY_HIGH    /* checked right and a personal context (label, column, name) */
};

/* Reasons, as bits of gw_privacy_hit.reasons. */
enum {
  GW_PRIVACY_R_STRUCTURE = 1u << 0, /* region code + birth date / 1[3-9] segment / card prefix valid */
  GW_PRIVACY_R_CHECK_OK = 1u << 1,  /* GB 11643 check digit or Luhn sum correct */
  GW_PRIVACY_R_CHECK_BAD = 1u << 2, /* 18-digit ID whose check digit is wrong (typo'd IDs leak too) */
  GW_PRIVACY_R_LABEL = 1u << 3,     /* a personal context word shortly before it (hit.context) */
  GW_PRIVACY_R_COLUMN = 1u << 4,    /* its table column header is a personal word (hit.context) */
  GW_PRIVACY_R_HEADER = 1u << 5,    /* the table's header names such a column, not this one */
  GW_PRIVACY_R_NAME = 1u << 6,      /* the same row holds a person's name */
  GW_PRIVACY_R_PUBLIC = 1u << 7,    /* labelled as a service number (热线, 监督电话 ...): lowered */
  GW_PRIVACY_R_NOT_PERSONAL = 1u << 8 /* labelled as a code (信用代码, 编号 ...): lowered */
};

/* One hit, valid only during the callback (copy what you keep). No field
 * holds the unmasked number. */
struct gw_privacy_hit {
  enum gw_privacy_kind kind;
  size_t start, len;            /* bytes of the number in the scanned text (with +86, separators) */
  const char *masked;           /* the value masked per the city rule, ASCII digits, X and '*' */
  const char *snippet;          /* ~snippet_chars characters each side, every long number masked,
                                   line breaks as spaces, "…" where cut; valid UTF-8 */
  enum gw_privacy_conf confidence;
  unsigned reasons;             /* GW_PRIVACY_R_* bits */
  const char *context;          /* the label or column word behind R_LABEL/R_COLUMN/R_HEADER/
                                   R_PUBLIC/R_NOT_PERSONAL, or NULL */
  const char *why;              /* the reasons in Simplified Chinese, for the finding's evidence */
};

/* Return GW_OK to go on; any other value stops the scan, and gw_privacy_scan
 * returns it. */
typedef int (*gw_privacy_cb)(const struct gw_privacy_hit *hit, void *ud);

/* Word lists and public numbers; opaque. */
struct gw_privacy_dict;

/* Scan options. Zero means the default for the size fields. */
struct gw_privacy_opts {
  const struct gw_privacy_dict *dict; /* required */
  int64_t as_of;                   /* inspection time: birth dates after its Shanghai date are invalid */
  enum gw_privacy_conf min_confidence; /* hits below it are not reported (default LOW: all) */
  unsigned context_chars;          /* characters before a number searched for a label; default 24, max 200 */
  unsigned snippet_chars;          /* characters of snippet each side of a hit; default 20, max 200 */
};

/* The largest text gw_privacy_scan accepts, in bytes (GW_ELIMIT above). */
#define GW_PRIVACY_MAX_TEXT ((size_t)64 << 20)

/* Make an empty dictionary (no words, no public numbers) in *out; free it
 * with gw_privacy_dict_free. Never fails (allocation failure aborts). */
int gw_privacy_dict_new(struct gw_privacy_dict **out);

/* Free a dictionary and set *pd to NULL; NULL and *pd == NULL are fine. */
void gw_privacy_dict_free(struct gw_privacy_dict **pd);

/* Load the word lists of directory `dir` (normally dict/privacy) into d:
 * public_numbers.txt, context.txt and surnames.txt, which must exist, then
 * local_numbers.txt (an office's own published numbers) when present. Errors
 * as the gw_privacy_dict_parse_* functions, GW_ENOTFOUND naming a missing
 * file, GW_EIO an unreadable one, GW_ELIMIT one over 1 MiB. On failure d
 * keeps the lists of the files read before the failing one. */
int gw_privacy_dict_load(struct gw_privacy_dict *d, const char *dir);

/* Add the public numbers in file `path` (same format as public_numbers.txt);
 * for an office's list kept outside the dict directory. Errors as
 * gw_privacy_dict_load for that one file; on failure d is unchanged. */
int gw_privacy_dict_load_numbers(struct gw_privacy_dict *d, const char *path);

/* Add public numbers from data[0..len): one per line, a pattern of 3-20
 * digits where x stands for any digit and '-' may separate groups (400-xxx-
 * xxxx), optionally followed by white space and a description; '#' starts a
 * comment; blank lines are ignored. A hit or masked number whose digits
 * (without +86) match a pattern of the same length is public: never reported
 * and left readable in snippets. GW_EPARSE names `name`:line and the text
 * otherwise; on failure d is unchanged. */
int gw_privacy_dict_parse_numbers(struct gw_privacy_dict *d, const char *name, const char *data,
                                  size_t len);

/* Add context words from data[0..len): "[section]" lines, then one word per
 * line; sections id, mobile, bank (labels for that kind), person (personal
 * labels for any kind: 姓名, 户主 ...), public (service-number labels: 热线,
 * 监督电话 ...) and not_personal (labels of codes and amounts: 信用代码, 编号,
 * 金额 ...). '#' starts a comment. GW_EPARSE names `name`:line for a word
 * outside a section, an unknown section, a word over 64 bytes or invalid
 * UTF-8; on failure d is unchanged. */
int gw_privacy_dict_parse_context(struct gw_privacy_dict *d, const char *name, const char *data,
                                  size_t len);

/* Add surnames from data[0..len): one per line, one or two Han characters
 * ('#' comments). A name is 2-4 Han characters (or masked like 张*, 李某某)
 * starting with one. GW_EPARSE names `name`:line otherwise; on failure d is
 * unchanged. */
int gw_privacy_dict_parse_surnames(struct gw_privacy_dict *d, const char *name, const char *data,
                                   size_t len);

/* True if the ASCII digit string `digits` matches a public-number pattern
 * of d (same length, x = any digit). */
bool gw_privacy_dict_is_public(const struct gw_privacy_dict *d, const char *digits);

/* Scan text[0..len) (UTF-8; invalid bytes are tolerated and shown as U+FFFD
 * in snippets; full-width digits count as digits) and call cb(hit, ud) for
 * every hit at or above opts->min_confidence, in text order. Returns GW_OK,
 * the callback's non-zero value, GW_EINVAL (no opts or dict, sizes over 200,
 * naming the option) or GW_ELIMIT (len over GW_PRIVACY_MAX_TEXT). The text
 * need not be NUL-terminated; it is never modified. */
int gw_privacy_scan(const char *text, size_t len, const struct gw_privacy_opts *opts,
                    gw_privacy_cb cb, void *ud);

/* Short English name of a kind ("id18", "id15", "mobile", "bank_card"), for
 * exports and APIs; "?" for an unknown value. */
const char *gw_privacy_kind_name(enum gw_privacy_kind kind);

/* What users read for a kind ("居民身份证号码" ...); "?" for an unknown value. */
const char *gw_privacy_kind_label(enum gw_privacy_kind kind);

/* "high", "medium", "low"; "?" for an unknown value. */
const char *gw_privacy_conf_name(enum gw_privacy_conf conf);

/* "高", "中", "低"; "?" for an unknown value. */
const char *gw_privacy_conf_label(enum gw_privacy_conf conf);

#endif
