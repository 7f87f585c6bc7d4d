/* The interaction and publishing checks of issue 4 (items 3-5):
 * interaction.channel, interaction.reply (interact.c), interpretation.link
 * and annual_report.publish (publish.c). docs/checks.md describes what each
 * finds, the rule it serves and its evidence. */
#ifndef GW_CHECKS_INTERACT_H
#define GW_CHECKS_INTERACT_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/check.h"
#include "html/page.h"

/* Rule keys (rules/national-2019.yaml). */
#define GW_RULE_INTERACTION_NO_CHANNEL "interaction.no_channel"
#define GW_RULE_INTERACTION_UNANSWERED "interaction.unanswered"
#define GW_RULE_INTERACTION_REPLIES_STALE "interaction.replies_stale"
#define GW_RULE_INTERACTION_NO_TIMES "interaction.no_times"
#define GW_RULE_INTERACTION_NO_STATS "interaction.no_stats"
#define GW_RULE_INTERPRETATION_MISSING "interpretation.missing"
#define GW_RULE_INTERPRETATION_UNLINKED "interpretation.unlinked"
#define GW_RULE_ANNUAL_REPORT_MISSING "annual_report.missing"

/* Replies slower than this many working days are late (config key
 * checks.reply_working_days). The indicator set gives no number for
 * consultation replies (indicators.md §2.2, §7: only an unverified 3 days
 * for 找错 messages), so 5 is GovWatch's assumption, marked as such in the
 * evidence. */
#define GW_INTERACT_REPLY_DAYS_DEFAULT 5

extern const struct gw_check gw_check_interaction_channel;
extern const struct gw_check gw_check_interaction_reply;
extern const struct gw_check gw_check_interpretation_link;
extern const struct gw_check gw_check_annual_report_publish;

/* What a message (letter) page says about itself. */
struct gw_message_info {
  bool has_received;
  int64_t received;      /* 来信时间 / 留言时间 / 提问时间 */
  bool has_reply;
  int64_t reply;         /* 回复时间 / 答复时间 / 办结时间 */
  int status;            /* 1 answered (已回复, 已办结, 已答复), -1 not (未回复, 待回复, 办理中), 0 not shown */
};

/* Read a message page: the labelled dates and the 办理状态 line. Never
 * fails; what the page does not show stays unset. */
void gw_interact_message_read(const struct gw_page *p, struct gw_message_info *out);

/* Whether a page is a list of messages: a line of its text holds both a
 * title heading (信件标题, 留言标题, ...) and a time heading (来信时间,
 * 留言时间, ...), as the header row of a message table does. */
bool gw_interact_is_message_list(const struct gw_page *p);

/* Whether a text publishes reply statistics: a line with a count received
 * (收到/受理 ... N 件|条|封) and a count handled (办结/回复/答复/办理). On
 * true, *off and *len (when not NULL) locate the line. */
bool gw_interact_find_stats(const char *text, size_t len, size_t *off, size_t *line_len);

/* Whether an anchor text names a consultation channel (信箱, 咨询, 留言,
 * 来信, 问政) and not one of the channels V5 excludes (信访, 举报); at
 * most 16 characters, so article titles that mention 咨询 do not count. */
bool gw_interact_is_channel_anchor(const char *anchor);

#endif
