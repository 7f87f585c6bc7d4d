/* Rule sets: the indicator set as data (rules/NAME.yaml), loaded and validated.
 *
 * A rule file names the rule keys findings may carry (and the checks that
 * emit them), the facts a site or account may have, the veto items, the
 * deduction part (indicators, items, per-finding deductions, caps), the bonus
 * part and the pass threshold, for websites and for new-media accounts.
 * A profile (rules/profiles/NAME.yaml) says `extends: <id>` and overrides any
 * value of its base by a deep merge (docs/rules.md, "Profiles").
 *
 * The loader checks everything before anything is scored: YAML syntax, types,
 * required and unknown keys, duplicate ids, non-negative amounts, unknown
 * rule keys, facts and check ids, caps below a single deduction, indicator
 * points that do not add up to the total, unknown or cyclic bases. Every
 * message names the file and line where the offending value was written
 * (the profile's line when a profile set it) and the object path, e.g.
 * "rules/profiles/x.yaml:12: indicator 功能设计: item link.broken.homepage:
 * cap 0.5 is below its per-finding deduction 1". */
#ifndef GW_RULES_RULES_H
#define GW_RULES_RULES_H

#include <stdbool.h>
#include <stddef.h>

struct gw_rules;

/* The largest rule file accepted, in bytes; a bigger one is GW_ELIMIT. */
#define GW_RULES_MAX_BYTES (1u << 20)
/* The longest chain of bases (profile -> base -> ...) accepted. */
#define GW_RULES_MAX_DEPTH 8

/* One rule document in memory: `name` is what messages call it (a file
 * name), data[0..len) its YAML text (need not be NUL-terminated). */
struct gw_rules_doc {
  const char *name;
  const char *data;
  size_t len;
};

/* Load the rule file at `path` and, through its `extends:` chain, its bases:
 * a base with id B is the file B.yaml in the directory of the file that
 * extends it, else in that directory's parent (so rules/profiles/x.yaml may
 * extend rules/national-2019.yaml and other profiles). `check_ids` is a
 * NULL-terminated list of the check ids the caller's check registry knows;
 * every `checks:` entry of the rule keys must be one of them (the id "manual",
 * for findings an inspector enters, is always known). NULL skips that
 * validation. On success *out owns the compiled rule set (free with
 * gw_rules_free); on failure *out is untouched and gw_err_msg() says
 * "FILE:LINE: where: what". Errors: GW_ENOTFOUND (no such file, unknown
 * base), GW_EIO, GW_ELIMIT (over GW_RULES_MAX_BYTES, chain too deep),
 * GW_EPARSE (YAML syntax, wrong types), GW_EINVAL (invalid values and
 * references). */
int gw_rules_load(const char *path, const char *const *check_ids, struct gw_rules **out);

/* As gw_rules_load, from memory: docs[0] is the rule set to build, the other
 * documents are the bases it may extend (found by their `id:`, in any order;
 * unused ones are not validated). n >= 1. */
int gw_rules_parse(const struct gw_rules_doc *docs, size_t n, const char *const *check_ids,
                   struct gw_rules **out);

/* Free a rule set and set *r to NULL; NULL-safe. */
void gw_rules_free(struct gw_rules **r);

/* The rule set's id (the profile's id for a profile), title and basis
 * (the document it implements; "" when not given). Borrowed. */
const char *gw_rules_id(const struct gw_rules *r);
const char *gw_rules_title(const struct gw_rules *r);
const char *gw_rules_basis(const struct gw_rules *r);
/* The chain of rule sets merged, base first: "national-2019", then each
 * profile. i < gw_rules_chain_count(). Borrowed. */
size_t gw_rules_chain_count(const struct gw_rules *r);
const char *gw_rules_chain_at(const struct gw_rules *r, size_t i);

/* The rule-key vocabulary, in file order (base first, then keys a profile
 * added): key and Chinese label. Borrowed; i < gw_rules_key_count(). */
size_t gw_rules_key_count(const struct gw_rules *r);
const char *gw_rules_key_at(const struct gw_rules *r, size_t i);
const char *gw_rules_key_label(const struct gw_rules *r, size_t i);
/* Whether `key` is in the vocabulary. */
bool gw_rules_key_known(const struct gw_rules *r, const char *key);
/* The facts vocabulary (names such as "availability.failure_share"). */
size_t gw_rules_fact_count(const struct gw_rules *r);
const char *gw_rules_fact_at(const struct gw_rules *r, size_t i);

/* Warnings the loader found in a valid rule set ("FILE:LINE: where: what"),
 * e.g. an item cap larger than its indicator's points (which can then never
 * bind). Borrowed. */
size_t gw_rules_warning_count(const struct gw_rules *r);
const char *gw_rules_warning_at(const struct gw_rules *r, size_t i);

/* Every value marked uncertain, one line each:
 * "FILE:LINE: where: key = value (source: ...)". Borrowed. */
size_t gw_rules_uncertain_count(const struct gw_rules *r);
const char *gw_rules_uncertain_at(const struct gw_rules *r, size_t i);

#endif
