/* Logging to stderr with levels.
 *
 * Messages below the current level are dropped. The level is process-wide
 * and set once at start-up (from --verbose/--quiet or the config). */
#ifndef GW_CORE_LOG_H
#define GW_CORE_LOG_H

enum gw_log_level { GW_LOG_DEBUG, GW_LOG_INFO, GW_LOG_WARN, GW_LOG_ERROR, GW_LOG_OFF };

void gw_log_set_level(enum gw_log_level level);
enum gw_log_level gw_log_get_level(void);
/* Parse "debug", "info", "warn", "error", "off"; GW_EINVAL otherwise. */
int gw_log_parse_level(const char *s, enum gw_log_level *out);
void gw_log(enum gw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define gw_debug(...) gw_log(GW_LOG_DEBUG, __VA_ARGS__)
#define gw_info(...) gw_log(GW_LOG_INFO, __VA_ARGS__)
#define gw_warn(...) gw_log(GW_LOG_WARN, __VA_ARGS__)
#define gw_error(...) gw_log(GW_LOG_ERROR, __VA_ARGS__)

#endif
