/* Dates in Chinese page text.
 *
 * Government pages write dates in many ways: 2024-05-12, 2024-5-12,
 * 2024/05/12, 2024.05.12, 2024年5月12日, 2024年05月12日 10:20, 公文 dates in
 * Chinese numerals (二〇二四年五月十二日), full-width digits, and in lists
 * dates without a year ([05-12], 05-12, 5月12日). Each may carry a time
 * (10:20, 10:20:33) and a label before it (发布时间：, 成文日期, 回复时间 ...).
 * The scanner validates the calendar and the surroundings, so 文号
 * (〔2024〕5号), phone numbers (0571-87654321), versions (1.2.3, 2024.05.12.1)
 * and dates inside longer digit runs are not taken. A date without a year
 * gets the year that makes it the latest such date not after as_of + 1 day
 * (a list read on 2025-01-03 showing [12-30] means 2024-12-30). All times
 * are Shanghai civil times (core/date.h). */
#ifndef GW_HTML_DATES_H
#define GW_HTML_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"

/* One date found in a text. Offsets are bytes into the text scanned. */
struct gw_date_hit {
  int64_t time;          /* the instant (Shanghai civil time; 00:00:00 without a time) */
  struct gw_civil civil; /* its civil fields */
  size_t offset, length; /* the date (and time, when present) in the text */
  bool has_time;         /* a time of day was written */
  bool year_inferred;    /* no year was written; it was inferred from as_of */
  char label[40];        /* the label written right before (e.g. "发布时间"), "" if none */
  size_t label_offset;   /* where the label starts (== offset when none) */
};

/* Find the best date in the NUL-terminated UTF-8 text: the first date that
 * has a label, else the first date with a written year, else the first
 * date. as_of fixes the year of dates written without one. Returns GW_OK
 * and fills *out, or GW_ENOTFOUND (with a message) when there is no date;
 * *out is written only on success. */
int gw_date_extract(const char *text, int64_t as_of, struct gw_date_hit *out);

/* An iterator over every date of a text, in order of position. The text is
 * borrowed and must outlive the iterator. */
struct gw_date_iter {
  const char *text;
  size_t len, pos;
  int64_t as_of;
};

/* Start iterating over text[0..len); the text need not be NUL-terminated
 * and NUL bytes inside it are ordinary (non-date) characters. A NULL text
 * has no dates. */
void gw_date_extract_iter(struct gw_date_iter *it, const char *text, size_t len, int64_t as_of);

/* The next date after the previous one: true and *out filled, or false at
 * the end (then *out is untouched). */
bool gw_date_extract_next(struct gw_date_iter *it, struct gw_date_hit *out);

/* Parse a whole value that should be one date (a <meta> content, an
 * attribute): RFC 3339 with an offset as gw_time_parse reads it, else the
 * first date the scanner finds in it. GW_OK with *out, or GW_ENOTFOUND. */
int gw_date_extract_value(const char *value, int64_t as_of, struct gw_date_hit *out);

#endif
