/* Internal: the Chinese wording the scoring needs while it builds a sheet.
 * All Chinese strings of the rules module live in sheet_text.c. */
#ifndef GW_RULES_SHEET_INT_H
#define GW_RULES_SHEET_INT_H

#include "rules/rules_int.h"
#include "rules/score.h"

/* A condition in words: its `name`, else the labels of its keys or fact and
 * the threshold ("空白栏目（有栏目无内容） ≥ 5 个"). Malloc'd. */
char *gw_sheet_cond_desc_(const struct gw_rules *r, const struct r_cond *c);
/* The one-sentence reason of a finished sheet (result, score, vetoes,
 * threshold, bonus, undetermined items). Malloc'd. */
char *gw_sheet_reason_(const struct gw_score_sheet *s);

#endif
