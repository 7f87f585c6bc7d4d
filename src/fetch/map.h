/* A string-keyed hash map for the crawler's in-memory indexes.
 *
 * The frontier looks a URL up for every link of every page (tens of
 * thousands of look-ups a second), so the map is open addressing with
 * linear probing over a power-of-two table, keys hashed once with 64-bit
 * FNV-1a and the hash kept beside the key to skip most string compares.
 * Keys are copied into the map; values are opaque pointers owned by the
 * caller. Entries are never removed (a crawl only grows), which keeps
 * probing simple. */
#ifndef GW_FETCH_MAP_H
#define GW_FETCH_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gw_map_slot {
  uint64_t hash;
  char *key; /* NULL = empty slot */
  void *val;
};

struct gw_map {
  struct gw_map_slot *slots;
  size_t cap; /* power of two, or 0 before the first insert */
  size_t n;
};

#define GW_MAP_INIT {NULL, 0, 0}

/* 64-bit FNV-1a of a NUL-terminated string: stable across runs and builds. */
uint64_t gw_map_hash(const char *s);

/* The value stored under key, or NULL when the key is absent. */
void *gw_map_get(const struct gw_map *m, const char *key);

/* True when key is present (its value may be NULL). */
bool gw_map_has(const struct gw_map *m, const char *key);

/* Store val under key (copying the key), replacing any previous value.
 * Returns the map's own copy of the key, which lives as long as the map, so
 * a caller may keep it instead of a second copy. */
const char *gw_map_put(struct gw_map *m, const char *key, void *val);

/* Free the table and the key copies (not the values) and reset to empty. */
void gw_map_free(struct gw_map *m);

#endif
