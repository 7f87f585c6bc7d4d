/* Publication statistics (信息报送) for the quarterly circular: how many
 * articles a portal published in a quarter per source unit, attributing
 * each article's source (meta ContentSource, else the 来源：line of the
 * page) to a unit of the register by its name or short name, and which
 * units reached the quarterly target or stayed below the floor.
 *
 * Read-only over the site's latest finished crawl (a check view); the
 * circular (another module) calls gw_pubstats_compute and prints the
 * struct. docs/checks.md describes the attribution rules. */
#ifndef GW_CHECKS_PUBSTATS_H
#define GW_CHECKS_PUBSTATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The circulars read praise units with at least 24 items in a quarter and
 * criticise those under 5 (circulars.md, "信息报送"); both are the office's
 * choice, so they are options. */
#define GW_PUBSTATS_TARGET_DEFAULT 24
#define GW_PUBSTATS_FLOOR_DEFAULT 5

struct gw_pubstats_opts {
  int target; /* articles a unit should reach in the quarter; 0 = default */
  int floor;  /* fewer than this is named as too few; 0 = default */
};

struct gw_pubstats_unit {
  int64_t unit_id;
  char *name;
  size_t articles;
  bool at_target;   /* articles >= target */
  bool below_floor; /* articles < floor */
};

/* A source no register unit matched, with its count. */
struct gw_pubstats_source {
  char *source;
  size_t articles;
};

struct gw_pubstats {
  int64_t site_id, crawl_id;
  int year, quarter;
  int64_t start, end;       /* [start, end): the quarter, Shanghai time */
  int target, floor;
  size_t articles;          /* articles published in the quarter */
  size_t attributed;        /* ... whose source matched a unit */
  size_t no_source;         /* ... with no source written */
  struct gw_pubstats_unit *units; /* the site's unit and every unit under it, most articles first, then name */
  size_t n_units;
  struct gw_pubstats_source *other; /* unmatched sources, most articles first */
  size_t n_other;
};

/* Count the articles of the latest finished crawl of site `site_id` whose
 * publish date (meta or labelled, html/page.h) lies in quarter `quarter`
 * (1-4) of `year`. An article is a page of the site that is not the
 * homepage and not a list page. o may be NULL (defaults). GW_EINVAL for a
 * quarter outside 1-4 or a target/floor below 0; GW_ENOTFOUND when the
 * site does not exist or has no finished crawl (naming it); store errors.
 * On GW_OK *out is filled; free it with gw_pubstats_free. */
int gw_pubstats_compute(struct gw_store *st, int64_t site_id, int year, int quarter, const struct gw_pubstats_opts *o,
                        struct gw_pubstats *out);
void gw_pubstats_free(struct gw_pubstats *s);

/* The source unit of a 来源 text among `units` (the candidates): the unit
 * whose full name equals it, else whose name it starts with (青溪县人民政府
 * 办公室 -> 青溪县), else whose short name (the name without its ancestors'
 * names, e.g. 教育局 of 青溪县教育局) it equals, optionally after the last
 * character of that ancestor's name (县教育局; not 市教育局, another
 * level's bureau). The longest match wins; -1 when none.
 * `all` is the whole register (for the ancestors). */
long gw_pubstats_attribute(const char *source, const struct gw_unit *units, size_t n, const struct gw_unit_list *all);

/* The statistics as JSON (the CLI's --json and the circular's input). */
json_t *gw_pubstats_json(const struct gw_pubstats *s);

#endif
