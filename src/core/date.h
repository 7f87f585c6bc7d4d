/* Dates and times in Asia/Shanghai.
 *
 * Instants are Unix seconds (int64, UTC). Civil dates and times that users
 * read and type are in China Standard Time, UTC+8, with no daylight saving
 * since 1991; GovWatch does not depend on the system time zone or tzdata.
 * Every inspection has an as-of time; code never reads the wall clock except
 * through gw_now(), which tests may pin with GW_NOW (Unix seconds or a date). */
#ifndef GW_CORE_DATE_H
#define GW_CORE_DATE_H

#include <stddef.h>
#include <stdint.h>

#define GW_TZ_OFFSET (8 * 3600)

struct gw_civil { int year, month, day, hour, min, sec; };

int64_t gw_now(void);
/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t gw_days_from_civil(int y, int m, int d);
void gw_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Instant <-> Shanghai civil time. */
int64_t gw_time_from_civil(const struct gw_civil *c);
void gw_civil_from_time(int64_t t, struct gw_civil *out);
/* Parse "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS]" (Shanghai
 * time) or an RFC 3339 time with an explicit offset/Z; validates the calendar
 * (no Feb 30). GW_EINVAL naming the text otherwise. */
int gw_time_parse(const char *s, int64_t *out);
/* "YYYY-MM-DD" and "YYYY-MM-DD HH:MM:SS" in Shanghai time; returns buf. */
char *gw_date_format(int64_t t, char *buf, size_t size);
char *gw_time_format(int64_t t, char *buf, size_t size);
/* RFC 3339 with +08:00. */
char *gw_time_format_iso(int64_t t, char *buf, size_t size);
/* Quarters "2025Q1" (also "2025q1", "2025-Q1"): first instant of the quarter
 * and first instant of the next, Shanghai time. */
int gw_quarter_parse(const char *s, int *year, int *q);
void gw_quarter_bounds(int year, int q, int64_t *start, int64_t *end);
/* Add calendar months to a civil date, clamping the day (Aug 31 + 6 months
 * = Feb 28/29); keeps the time of day. */
int64_t gw_time_add_months(int64_t t, int months);
/* Day of week of an instant in Shanghai time, 1 = Monday .. 7 = Sunday. */
int gw_weekday(int64_t t);

#endif
