/* Internal: YAML documents as plain trees that remember where each value was
 * written, and the deep merge of a profile over its base.
 *
 * libyaml's document API gives nodes with marks, but a merged rule set mixes
 * nodes from several files; this tree keeps, per node, the file name and the
 * line so that a message about a merged value points at the file that set
 * it. All nodes and strings live in one arena freed at once. */
#ifndef GW_RULES_YTREE_H
#define GW_RULES_YTREE_H

#include <stdbool.h>
#include <stddef.h>

/* Caps on one document: nodes and nesting. Rule files have hundreds of
 * nodes and a depth under 10. */
#define YT_MAX_NODES 20000
#define YT_MAX_DEPTH 32

struct yarena {
  struct yblk *head;
};

enum ykind { Y_NULL = 1, Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode;

struct yentry {
  const char *key;
  size_t key_line;
  struct ynode *val;
};

struct ynode {
  enum ykind kind;
  const char *s;          /* Y_SCALAR: the text (no NUL inside) */
  struct ynode **items;   /* Y_SEQ */
  struct yentry *ents;    /* Y_MAP, in document order */
  size_t n;               /* items or entries */
  const char *file;       /* where it was written (arena copy) */
  size_t line;            /* 1-based */
  int layer;              /* 0 = the base file, 1 = the first profile, ... */
};

void *ya_alloc(struct yarena *a, size_t n);
const char *ya_strdup(struct yarena *a, const char *s);
void ya_free(struct yarena *a);

/* Parse data[0..len) (one YAML document, UTF-8) into a tree whose nodes carry
 * `name` and `layer`. An empty document gives a Y_NULL root. Rejects YAML
 * syntax errors, a second document, aliases, NUL characters, non-scalar
 * mapping keys, duplicate keys and documents over the caps, with
 * GW_EPARSE/GW_ELIMIT and "name:line: ..." messages. */
int yt_parse(struct yarena *a, const char *name, const char *data, size_t len, int layer,
             struct ynode **out);

/* The value of `key` in a mapping, or NULL when absent or when `map` is not a
 * mapping. A Y_NULL value is returned as is. */
struct ynode *yt_get(const struct ynode *map, const char *key);
/* The entry of `key` (for its line), or NULL. */
const struct yentry *yt_entry(const struct ynode *map, const char *key);

/* Deep merge of `over` (a profile's mapping) onto `base` (docs/rules.md,
 * "Profiles"): mappings merge key by key; lists whose entries are all
 * mappings with an `id` merge by id (an entry with `remove: true` deletes the
 * base entry of that id, others merge into it or are appended); an empty
 * list and everything else replace. The result shares unchanged subtrees
 * with the inputs. GW_EINVAL when `remove` is misused. `where` prefixes
 * messages. */
int yt_merge(struct yarena *a, struct ynode *base, struct ynode *over, struct ynode **out);

#endif
