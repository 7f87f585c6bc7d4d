#include "fetch/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

uint64_t gw_map_hash(const char *s)
{
  uint64_t h = UINT64_C(14695981039346656037);
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= UINT64_C(1099511628211);
  }
  return h;
}

/* The slot holding key, or the empty slot where it would go. */
static struct gw_map_slot *find(const struct gw_map *m, const char *key, uint64_t h)
{
  size_t mask = m->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    struct gw_map_slot *s = &m->slots[i];
    if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
      return s;
  }
}

void *gw_map_get(const struct gw_map *m, const char *key)
{
  if (!m->cap)
    return NULL;
  struct gw_map_slot *s = find(m, key, gw_map_hash(key));
  return s->key ? s->val : NULL;
}

bool gw_map_has(const struct gw_map *m, const char *key)
{
  return m->cap && find(m, key, gw_map_hash(key))->key != NULL;
}

/* Double the table (or make the first one) and re-place every entry. */
static void grow(struct gw_map *m)
{
  struct gw_map old = *m;
  m->cap = old.cap ? old.cap * 2 : 64;
  m->slots = gw_calloc(m->cap, sizeof *m->slots);
  for (size_t i = 0; i < old.cap; i++) {
    if (!old.slots[i].key)
      continue;
    *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
  }
  free(old.slots);
}

const char *gw_map_put(struct gw_map *m, const char *key, void *val)
{
  /* load factor at most 1/2: short probe runs for URL-like keys */
  if ((m->n + 1) * 2 > m->cap)
    grow(m);
  uint64_t h = gw_map_hash(key);
  struct gw_map_slot *s = find(m, key, h);
  if (!s->key) {
    s->key = gw_strdup(key);
    s->hash = h;
    m->n++;
  }
  s->val = val;
  return s->key;
}

void gw_map_free(struct gw_map *m)
{
  for (size_t i = 0; i < m->cap; i++)
    free(m->slots[i].key);
  free(m->slots);
  m->slots = NULL;
  m->cap = m->n = 0;
}
