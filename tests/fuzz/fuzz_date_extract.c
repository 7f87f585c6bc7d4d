/* Fuzz the date scanner: every date found lies inside the text, in order,
 * without overlap, with a valid calendar date in the plausible years and a
 * valid time; inferred years are not after as_of + 1 day; gw_date_extract
 * agrees with the iterator. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "fuzz.h"
#include "html/dates.h"

#define AS_OF 1743393600 /* 2025-03-31 12:00 +08:00 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  struct gw_date_iter it;
  struct gw_date_hit h;
  size_t last_end = 0, count = 0;
  int64_t first_time = 0;
  gw_date_extract_iter(&it, text, size, AS_OF);
  while (gw_date_extract_next(&it, &h)) {
    if (h.offset < last_end || h.length == 0 || h.offset + h.length > size)
      abort();
    if (h.label_offset > h.offset)
      abort();
    if (h.label[0] && memcmp(text + h.label_offset, h.label, strlen(h.label)) != 0)
      abort();
    const struct gw_civil *c = &h.civil;
    if (c->year < 1900 || c->year > 2100 || c->month < 1 || c->month > 12 || c->day < 1 ||
        c->hour < 0 || c->hour > 23 || c->min < 0 || c->min > 59 || c->sec < 0 || c->sec > 59)
      abort();
    int y, m, d;
    gw_civil_from_days(gw_days_from_civil(c->year, c->month, c->day), &y, &m, &d);
    if (y != c->year || m != c->month || d != c->day)
      abort();
    if (gw_time_from_civil(c) != h.time)
      abort();
    if (h.year_inferred && h.time > AS_OF + 86400)
      abort();
    if (!h.has_time && (c->hour || c->min || c->sec))
      abort();
    if (count == 0)
      first_time = h.time;
    last_end = h.offset + h.length;
    count++;
  }
  if (count > size)
    abort();
  /* gw_date_extract sees the text up to its first NUL. */
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  int rc = gw_date_extract(s, AS_OF, &h);
  if (strlen(s) == size) {
    if ((rc == 0) != (count > 0))
      abort();
    if (rc == 0 && h.offset + h.length > size)
      abort();
  }
  (void)first_time;
  struct gw_date_hit v;
  if (gw_date_extract_value(s, AS_OF, &v) == 0 && v.offset > size)
    abort();
  free(s);
  return 0;
}
