/* Charset decision and conversion of fetched pages to UTF-8.
 *
 * Everything inside GovWatch is UTF-8; a fetched page is converted here, at
 * the edge, before the HTML parser sees it. The charset comes from, in
 * order: a byte-order mark, the Content-Type header's charset, a <meta>
 * declaration in the first 4 KiB, then detection (uchardet). Labels are
 * checked against the bytes, because Chinese government sites often lie:
 * GB2312 and GBK are decoded as GB18030 (their superset; pages labelled
 * gb2312 routinely hold GBK-only characters), a page labelled UTF-8 whose
 * bytes are not UTF-8 but are GB18030 is decoded as GB18030, and a page
 * labelled with a legacy charset whose bytes are plainly UTF-8 (a CMS that
 * switched encodings but kept its template) is decoded as UTF-8; both
 * record that the label was wrong. Conversion never fails on bad bytes:
 * each invalid sequence (and each NUL byte) becomes U+FFFD and is counted. */
#ifndef GW_HTML_CHARSET_H
#define GW_HTML_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/* Where the charset used came from. */
enum gw_charset_source {
  GW_CHARSET_SRC_BOM = 0,  /* a byte-order mark */
  GW_CHARSET_SRC_HEADER,   /* the Content-Type header */
  GW_CHARSET_SRC_META,     /* <meta charset> or <meta http-equiv=Content-Type> */
  GW_CHARSET_SRC_DETECTED, /* the bytes themselves (UTF-8 validity, uchardet) */
  GW_CHARSET_SRC_DEFAULT   /* nothing decided it: GB18030 */
};

/* What gw_charset_decide / gw_charset_to_utf8 found. Names are upper-case
 * iconv names ("UTF-8", "GB18030", "BIG5", "WINDOWS-1252", "UTF-16LE"). */
struct gw_charset_info {
  char charset[32];      /* the charset the bytes were decoded with */
  char label[32];        /* the first usable label found (header, else meta), lower-case; "" if none */
  enum gw_charset_source source; /* where `charset` came from */
  enum gw_charset_source label_source; /* where `label` came from (header or meta), when label != "" */
  bool label_wrong;      /* a label was found but the bytes proved another charset */
  size_t replacements;   /* invalid sequences and NUL bytes replaced with U+FFFD */
  bool truncated;        /* the output reached the caller's cap */
  size_t bom_len;        /* bytes of byte-order mark skipped */
};

/* English name of a source ("bom", "header", "meta", "detected", "default"). */
const char *gw_charset_source_name(enum gw_charset_source s);

/* Map a charset label as found in a header or page (any case, surrounding
 * blanks and quotes allowed) to the iconv name GovWatch decodes with:
 * gb2312/gbk/cp936/x-gbk/euc-cn/... -> "GB18030", utf8 -> "UTF-8",
 * iso-8859-1/latin1/us-ascii -> "WINDOWS-1252" (as browsers do), any other
 * label iconv knows -> its upper-case form. Writes `out` (size >= 32) and
 * returns true; false (out = "") for an empty, over-long or unknown label. */
bool gw_charset_canonical(const char *label, size_t len, char *out, size_t size);

/* The charset parameter of a Content-Type header value ("text/html;
 * charset=GBK" -> "gbk", lower-case, quotes removed) into out; false if
 * there is none. NULL header is no charset. */
bool gw_charset_from_content_type(const char *content_type, char *out, size_t size);

/* The charset declared by <meta charset=...> or <meta http-equiv=
 * "Content-Type" content="...charset=..."> in data[0..min(len, 4096)),
 * comments skipped, lower-case into out; false if none. */
bool gw_charset_from_meta(const char *data, size_t len, char *out, size_t size);

/* Decide the charset of data[0..len) with the rules in the file comment,
 * without converting. content_type may be NULL. Fills *info (replacements
 * and truncated stay 0/false). Never fails. */
void gw_charset_decide(const char *data, size_t len, const char *content_type,
                       struct gw_charset_info *info);

/* Convert data[0..len) from `charset` (an iconv name, e.g. from
 * gw_charset_canonical) to UTF-8 into a malloc'd NUL-terminated string of at
 * most max_out bytes (0 = no cap; the cut falls on a character boundary and
 * sets *truncated). Invalid or incomplete sequences and NUL bytes become
 * U+FFFD and are counted in *replacements. Returns GW_OK, or GW_EINVAL
 * naming the charset when iconv cannot convert from it. *out, *out_len,
 * *replacements and *truncated are written only on success. */
int gw_charset_convert(const char *data, size_t len, const char *charset, size_t max_out,
                       char **out, size_t *out_len, size_t *replacements, bool *truncated);

/* Decide and convert in one step (the BOM is skipped): the usual entry
 * point for a fetched page. On success *out is malloc'd UTF-8 without NUL
 * bytes, *out_len its length and *info describes the decision; GW_EINVAL
 * only if the decided charset cannot be converted at all (then nothing is
 * written). */
int gw_charset_to_utf8(const char *data, size_t len, const char *content_type, size_t max_out,
                       char **out, size_t *out_len, struct gw_charset_info *info);

#endif
