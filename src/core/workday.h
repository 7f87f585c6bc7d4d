/* Working days (工作日) in the Chinese official calendar.
 *
 * Reply deadlines of government mailboxes and error reports count working
 * days: Monday to Friday, minus the public holidays, plus the weekend days
 * the State Council moves into the working week (调休上班). Those change
 * every year, so they are data: one file per year in dict/calendar/
 * (format in docs/checks.md), taken from the State Council's notice on the
 * year's holidays. A day of a year without a file falls back to plain
 * Monday-Friday, and every answer says whether it needed that fallback so
 * evidence can state it. Days are Shanghai civil days (core/date.h). */
#ifndef GW_CORE_WORKDAY_H
#define GW_CORE_WORKDAY_H

#include <stdbool.h>
#include <stdint.h>

struct gw_workday_cal;

/* The most calendar files (years) one directory may hold. */
#define GW_WORKDAY_MAX_YEARS 200

/* The directory read when none is given: calendar/ in gw_dict_dir()
 * (core/dict.h). Never NULL; valid until the next call. */
const char *gw_workday_default_dir(void);

/* Load every YYYY.txt of `dir` (NULL: gw_workday_default_dir()). Each file
 * must declare its year ("year YYYY"), matching its name, and every date it
 * lists must lie in that year; a holiday on a weekend or a 调休 working day
 * on a weekday is an error (the notice never says so; it would be a typo).
 * Errors name the file and line: GW_EPARSE for a bad line, GW_ENOTFOUND when
 * the directory does not exist, GW_EIO when a file cannot be read. An
 * existing directory without files gives an empty calendar (every day falls
 * back). On success *out is a new calendar to free with gw_workday_cal_free. */
int gw_workday_cal_load(struct gw_workday_cal **out, const char *dir);

/* A calendar without data: every day falls back to Monday-Friday. Never
 * fails (allocation aborts). */
struct gw_workday_cal *gw_workday_cal_empty(void);

/* Free a calendar and set *c to NULL; NULL is fine. */
void gw_workday_cal_free(struct gw_workday_cal **c);

/* Whether the calendar has data for `year`; the first and last such years
 * through *first / *last (0 when none). */
bool gw_workday_cal_covers(const struct gw_workday_cal *c, int year);
void gw_workday_cal_range(const struct gw_workday_cal *c, int *first, int *last);

/* Whether the Shanghai civil day holding instant t is a working day. When
 * `fallback` is not NULL it is set to true if t's year has no data (the
 * answer is plain Monday-Friday), else left alone, so one flag can
 * accumulate over many calls. *name, when not NULL, gets the holiday or
 * 调休 name from the data ("春节", "春节调休上班") or NULL for an ordinary day. */
bool gw_workday_is(const struct gw_workday_cal *c, int64_t t, bool *fallback, const char **name);

/* The working days from the day of `from` to the day of `to`: the number of
 * working days d with day(from) < d <= day(to), so a reply on the day of
 * the letter took 0 working days and one on the next working day 1. 0 when
 * `to` is not after `from`'s day. `fallback` as for gw_workday_is, set when
 * any day counted or skipped lies in a year without data. */
int64_t gw_workday_count(const struct gw_workday_cal *c, int64_t from, int64_t to, bool *fallback);

/* The instant `n` working days after t (n >= 0): the time of day kept, the
 * day moved to the n-th working day after t's day (t itself for n = 0).
 * `fallback` as above. */
int64_t gw_workday_add(const struct gw_workday_cal *c, int64_t t, int n, bool *fallback);

#endif
