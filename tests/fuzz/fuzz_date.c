/* Fuzz date, time and quarter parsing, and the calendar arithmetic. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/error.h"
#include "fuzz.h"

#define SENTINEL ((int64_t)0x5A5A5A5A5A5A5A5ALL)

static void check_time(const char *s)
{
  int64_t t = SENTINEL;
  if (gw_time_parse(s, &t) != GW_OK) {
    /* out untouched; the message quotes the text */
    if (t != SENTINEL || !strchr(gw_err_msg(), '\''))
      abort();
    return;
  }
  /* four-digit years, any offset up to a day */
  if (t < gw_days_from_civil(0, 1, 1) * 86400 - 2 * 86400 || t > gw_days_from_civil(10000, 1, 1) * 86400 + 2 * 86400)
    abort();
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  if (gw_time_from_civil(&c) != t || gw_weekday(t) < 1 || gw_weekday(t) > 7)
    abort();
  /* What we print, we read back as the same instant, as long as the
   * Shanghai year still has four digits (9999-12-31T23:00-05:00 does not). */
  if (c.year < 0 || c.year > 9999)
    return;
  char iso[64], plain[64];
  int64_t back = SENTINEL;
  gw_time_format_iso(t, iso, sizeof iso);
  if (gw_time_parse(iso, &back) != GW_OK || back != t)
    abort();
  gw_time_format(t, plain, sizeof plain);
  if (gw_time_parse(plain, &back) != GW_OK || back != t)
    abort();
}

static void check_quarter(const char *s)
{
  int y = -1, q = -1;
  if (gw_quarter_parse(s, &y, &q) != GW_OK) {
    if (y != -1 || q != -1 || !strchr(gw_err_msg(), '\''))
      abort();
    return;
  }
  if (y < 0 || y > 9999 || q < 1 || q > 4)
    abort();
  int64_t start, end;
  gw_quarter_bounds(y, q, &start, &end);
  if (end - start < 90 * 86400 || end - start > 92 * 86400)
    abort();
  struct gw_civil c;
  gw_civil_from_time(start, &c);
  if (c.year != y || c.month != 3 * q - 2 || c.day != 1 || c.hour || c.min || c.sec)
    abort();
}

/* Arithmetic on raw instants within +-30000 years. */
static void check_arith(const uint8_t *data, size_t size)
{
  if (size < 12)
    return;
  int64_t t = 0;
  int32_t m = 0;
  memcpy(&t, data, sizeof t);
  memcpy(&m, data + 8, sizeof m);
  t %= (int64_t)30000 * 366 * 86400;
  m %= 120000;
  int64_t r = gw_time_add_months(t, m);
  struct gw_civil a, b;
  gw_civil_from_time(t, &a);
  gw_civil_from_time(r, &b);
  int64_t months = ((int64_t)b.year * 12 + b.month) - ((int64_t)a.year * 12 + a.month);
  /* same time of day, the right month, the day kept or clamped */
  if (months != m || a.hour != b.hour || a.min != b.min || a.sec != b.sec || b.day > a.day ||
      (b.day < a.day && gw_days_from_civil(b.year, b.month, b.day + 1) != gw_days_from_civil(b.year, b.month + 1, 1)))
    abort();
  char buf[64];
  gw_time_format_iso(t, buf, sizeof buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  check_time(s);
  check_quarter(s);
  check_arith(data, size);
  free(s);
  return 0;
}
