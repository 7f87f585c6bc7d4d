# End-to-end test of the register commands: govwatch unit|site|account
# add|list|show|edit|remove|import|export, their help, validation errors
# with exit codes and messages, references, JSON output, all-or-nothing
# imports and CSV/XLSX round trips.
set -u
. "$(dirname "$0")/lib.sh"

T=$E2E_TMP

# ---------------------------------------------------------------- help
for cmd in unit site account; do
  expect_ok "$cmd --help" "$cmd" --help
  expect_out_has "usage: govwatch $cmd <verb> [options]"
  expect_out_has "Verbs:"
  for verb in add list show edit remove import export; do
    expect_ok "$cmd $verb --help" "$cmd" "$verb" --help
    expect_out_has "usage: govwatch $cmd $verb"
    expect_out_has "-h, --help"
  done
done
expect_ok "help site" help site
expect_out_has "usage: govwatch site <verb>"
expect_ok "site add -h" site add -h
expect_out_has "--code CODE"
expect_out_has "(required)"
expect_ok "site import --help lists the columns" site import --help
expect_out_has "网站名称* 网址* 网站标识码* 网站类型 所属单位* 主办单位 主管单位 有无对外服务功能 运行状态 备注"
expect_ok "unit import --help lists the columns" unit import --help
expect_out_has "单位名称* 上级单位 单位类型* 行政区划代码 联系人"
expect_ok "account export --help lists the columns" account export --help
expect_out_has "账号名称* 账号类型* 开设主体* 认证主体 账号地址 运行状态 备注"
expect_ok "top-level help lists the commands" --help
expect_out_has "account"
expect_out_has "unit"
# help does not open the database
[ ! -e "$E2E_DB" ] || fail "help created the database"
pass

# ---------------------------------------------------------------- usage errors (exit 2)
expect_rc 2 "site without verb" site
expect_err_has "site: missing verb (one of: add, list, show, edit, remove, import, export)"
expect_rc 2 "unknown verb" site frob
expect_err_has "site: unknown verb 'frob'"
expect_rc 2 "missing required option" site add --name 青溪县人民政府
expect_err_has "site add: missing required option --url (see 'govwatch site add --help')"
expect_rc 2 "unknown option" site add --bogus x
expect_err_has "site add: unknown option '--bogus'"
expect_rc 2 "short unknown option" unit list -x
expect_err_has "unit list: unknown option '-x'"
expect_rc 2 "option without value" unit add --name
expect_err_has "unit add: option --name needs a value (NAME)"
expect_rc 2 "option twice" unit add --name a --name b
expect_err_has "unit add: option --name given twice"
expect_rc 2 "missing argument" site show
expect_err_has "site show: missing argument SITE"
expect_rc 2 "stray argument" site show 1 2
expect_err_has "site show: unexpected argument '2'"
expect_rc 2 "stray argument to list" account list extra
expect_err_has "account list: unexpected argument 'extra'"
expect_rc 2 "flag with a value" site import x.csv --update=yes
expect_err_has "site import: option --update takes no value"
expect_rc 2 "unit import has no --update" unit import x.csv --update
expect_err_has "unit import: unknown option '--update'"
expect_rc 2 "edit with nothing to change" site edit 1
expect_err_has "site edit: nothing to change"
expect_rc 2 "import without file" account import
expect_err_has "account import: missing argument FILE"

# ---------------------------------------------------------------- units
expect_ok "add a region" unit add --name 青溪县 --region-code 330122 --contact "张三 0571-1234"
expect_out_is "已添加单位 1：青溪县"
expect_ok "add a department" unit add --name 青溪县教育局 --parent 青溪县
expect_out_is "已添加单位 2：青溪县/青溪县教育局"
expect_ok "add a town by Chinese kind" unit add --name 白石镇 --parent 1 --kind 乡镇
expect_ok "add under a path" unit add --name 办公室 --parent 青溪县/青溪县教育局
expect_ok "same name elsewhere" unit add --name 办公室 --parent 白石镇 --kind department
expect_ok "a second region" --json unit add --name 临江市 --kind region
expect_json 'j["id"]' 6
expect_json 'j["kind"]' region
expect_json 'j["kind_label"]' 地区
expect_json 'j["parent_id"]' null
expect_json 'j["sites"]' 0

expect_rc 3 "duplicate unit under one parent" unit add --name 办公室 --parent 白石镇
expect_err_has "unit add: --name '办公室': already registered (id 5, 青溪县/白石镇/办公室)"
expect_rc 3 "bad region code" unit add --name 甲 --region-code 990000
expect_err_has "unit add: --region-code '990000': 行政区划代码 must be 6 digits starting with a province code (99 is not a province code)"
expect_rc 3 "short region code" unit add --name 甲 --region-code 33012
expect_err_has "unit add: --region-code '33012': 行政区划代码 must be 6 digits starting with a province code"
expect_rc 3 "slash in a unit name" unit add --name 甲/乙
expect_err_has "unit add: --name '甲/乙': a unit name must not contain '/'"
expect_rc 3 "empty unit name" unit add --name ""
expect_err_has "unit add: --name: must not be empty"
expect_rc 3 "bad unit kind" unit add --name 甲 --kind 机关
expect_err_has "unit add: --kind: unknown unit kind '机关' (expected one of: region (地区), department (部门), town (乡镇))"
expect_rc 4 "unknown parent" unit add --name 甲 --parent 青溪
expect_err_has "unit add: --parent '青溪': no such unit"

expect_ok "unit list" unit list
expect_out_has "编号  单位名称        类型  行政区划代码  网站数  账号数  联系人"
expect_out_has "1     青溪县          地区  330122        0       0       张三 0571-1234"
expect_out_has "2       青溪县教育局  部门                0       0"
expect_out_has "4         办公室      部门                0       0"
expect_ok "unit list --parent" unit list --parent 青溪县/白石镇
expect_out_has "5     办公室"
expect_out_lacks "青溪县教育局"
expect_ok "unit list json" --json unit list
expect_json 'len(j)' 6
expect_json '[u["id"] for u in j]' "[1, 2, 4, 3, 5, 6]"
expect_json '[u["depth"] for u in j]' "[0, 1, 2, 1, 2, 0]"
expect_json 'j[2]["path"]' "青溪县/青溪县教育局/办公室"
expect_json 'j[0]["region_code"]' 330122
expect_json 'j[0]["children"]' 2

expect_ok "unit show by path" unit show 青溪县/白石镇/办公室
expect_out_has "编号：5"
expect_out_has "单位路径：青溪县/白石镇/办公室"
expect_out_has "上级单位：青溪县/白石镇"
expect_out_has "单位类型：部门"
expect_ok "unit show by id" --json unit show 3
expect_json 'j["name"]' 白石镇
expect_json 'j["kind"]' town
expect_rc 3 "ambiguous unit" unit show 办公室
expect_err_has "unit show: '办公室': ambiguous: 2 units are named '办公室': 青溪县/青溪县教育局/办公室 (id 4), 青溪县/白石镇/办公室 (id 5); give the path or the id"
expect_rc 4 "unknown unit" unit show 没有
expect_err_has "unit show: '没有': no such unit"
expect_rc 4 "unknown unit path" unit show 青溪县/没有
expect_err_has "unit show: '青溪县/没有': no such unit (no '没有' under '青溪县')"

expect_ok "unit edit" unit edit 临江市 --contact "李四" --region-code 330100
expect_out_is "已更新单位 6：临江市"
expect_ok "unit edit json" --json unit edit 6 --name 临江市人民政府
expect_json 'j["name"]' 临江市人民政府
expect_json 'j["contact"]' 李四
expect_rc 3 "parent cycle" unit edit 青溪县 --parent 青溪县/青溪县教育局/办公室
expect_err_has "unit edit: --parent '青溪县/青溪县教育局/办公室': would make a cycle"
expect_rc 3 "parent itself" unit edit 2 --parent 2
expect_err_has "would make a cycle"
expect_rc 3 "rename onto a sibling" unit edit 4 --parent 白石镇
expect_err_has "unit edit: --name '办公室': already registered (id 5, 青溪县/白石镇/办公室)"
expect_ok "move under another parent" unit edit 临江市人民政府 --parent 青溪县
expect_ok "back to the top" unit edit 6 --parent ""
expect_ok "shown at the top" --json unit show 6
expect_json 'j["parent_id"]' null
expect_json 'j["region_code"]' 330100
expect_ok "clear a field" --json unit edit 6 --region-code ""
expect_json 'j["region_code"]' null

# ---------------------------------------------------------------- sites
expect_ok "site add portal" site add --name 青溪县人民政府 --url https://www.qx.gov.cn/ --code 3301220001 --unit 青溪县 --kind portal
expect_out_is "已添加网站 1：青溪县人民政府 https://www.qx.gov.cn/"
expect_ok "site add with defaults" --json site add --name 青溪县教育局 --url HTTP://JYJ.qx.gov.cn --code 3301220002 --unit 青溪县教育局
expect_json 'j["url"]' "http://jyj.qx.gov.cn/"
expect_json 'j["kind"]' department
expect_json 'j["kind_label"]' 部门网站
expect_json 'j["external_service"]' true
expect_json 'j["sponsor"]' 青溪县教育局
expect_json 'j["status"]' running
expect_json 'j["unit"]' 青溪县/青溪县教育局
expect_ok "site add with every option" --json site add --name 白石镇人民政府 --url "https://bsz.qx.gov.cn/index.html#top" --code BM12345678 --unit 白石镇 --kind 部门网站 --external-service 无 --sponsor 白石镇人民政府 --supervisor 青溪县人民政府 --status 已迁移 --note "并入青溪县人民政府网站"
expect_json 'j["url"]' "https://bsz.qx.gov.cn/index.html"
expect_json 'j["code"]' bm12345678
expect_json 'j["external_service"]' false
expect_json 'j["external_service_label"]' 无
expect_json 'j["supervisor"]' 青溪县人民政府
expect_json 'j["status"]' migrated
expect_json 'j["status_label"]' 已迁移
expect_json 'j["note"]' 并入青溪县人民政府网站
expect_json 'j["created_at"][-6:]' "+08:00"

expect_rc 3 "code of 8 digits" site add --name x --url https://x.qx.gov.cn/ --code 33012200 --unit 青溪县
expect_err_has "site add: --code '33012200': 网站标识码 must be 10 digits starting with a province code, or bm + 8 digits"
expect_rc 3 "code with a bad province" site add --name x --url https://x.qx.gov.cn/ --code 9901220001 --unit 青溪县
expect_err_has "site add: --code '9901220001': 网站标识码 must be 10 digits starting with a province code, or bm + 8 digits (99 is not a province code)"
expect_rc 3 "code with a county under city 00" site add --name x --url https://x.qx.gov.cn/ --code 3300120001 --unit 青溪县
expect_err_has "(a county part 12 under city part 00)"
expect_rc 3 "bm code too short" site add --name x --url https://x.qx.gov.cn/ --code bm1234567 --unit 青溪县
expect_err_has "site add: --code 'bm1234567': 网站标识码 must be"
expect_rc 3 "URL without scheme" site add --name x --url www.x.gov.cn --code 3301220009 --unit 青溪县
expect_err_has "site add: --url 'www.x.gov.cn': URL has no scheme (write http:// or https://)"
expect_rc 3 "ftp URL" site add --name x --url ftp://x.gov.cn/ --code 3301220009 --unit 青溪县
expect_err_has "site add: --url 'ftp://x.gov.cn/': scheme 'ftp' is not http or https"
expect_rc 3 "userinfo in URL" site add --name x --url http://admin:pw@x.gov.cn/ --code 3301220009 --unit 青溪县
expect_err_has "site add: --url 'http://admin:pw@x.gov.cn/': URL must not contain a user name or password"
expect_rc 3 "URL without host" site add --name x --url http:///x --code 3301220009 --unit 青溪县
expect_err_has "URL has no host"
expect_rc 4 "unknown unit" site add --name x --url https://x.qx.gov.cn/ --code 3301220009 --unit 青溪
expect_err_has "site add: --unit '青溪': no such unit"
expect_rc 3 "ambiguous unit" site add --name x --url https://x.qx.gov.cn/ --code 3301220009 --unit 办公室
expect_err_has "site add: --unit '办公室': ambiguous"
expect_rc 3 "duplicate URL (other scheme)" site add --name x --url http://www.qx.gov.cn --code 3301220009 --unit 青溪县
expect_err_has "site add: --url 'http://www.qx.gov.cn': already registered (id 1, 青溪县人民政府, https://www.qx.gov.cn/)"
expect_rc 3 "duplicate code" site add --name x --url https://x.qx.gov.cn/ --code 3301220002 --unit 青溪县
expect_err_has "site add: --code '3301220002': already registered (id 2, 青溪县教育局)"
expect_rc 3 "bad site kind" site add --name x --url https://x.qx.gov.cn/ --code 3301220009 --unit 青溪县 --kind 博客
expect_err_has "site add: --kind: unknown site kind '博客' (expected one of: portal (政府门户网站), department (部门网站))"
expect_rc 3 "bad external service" site add --name x --url https://x.qx.gov.cn/ --code 3301220009 --unit 青溪县 --external-service maybe
expect_err_has "site add: --external-service: 'maybe' is not yes or no"
expect_rc 3 "bad site status" site add --name x --url https://x.qx.gov.cn/ --code 3301220009 --unit 青溪县 --status 停用
expect_err_has "site add: --status: unknown site status '停用'"
expect_rc 3 "empty site name" site add --name "" --url https://x.qx.gov.cn/ --code 3301220009 --unit 青溪县
expect_err_has "site add: --name: must not be empty"

# SITE by id, 网站标识码 and URL
expect_ok "show by id" site show 1
expect_out_has "网站名称：青溪县人民政府"
expect_out_has "网站类型：政府门户网站"
expect_out_has "主办单位：青溪县"
expect_out_has "有无对外服务功能：有"
for ref in 1 3301220001 https://www.qx.gov.cn/ https://www.qx.gov.cn http://www.qx.gov.cn/ www.qx.gov.cn WWW.QX.GOV.CN/#x; do
  expect_ok "show by '$ref'" --json site show "$ref"
  expect_json 'j["id"]' 1
done
expect_ok "show by upper-case bm code" --json site show BM12345678
expect_json 'j["id"]' 3
expect_ok "show by bare host of an http site" --json site show jyj.qx.gov.cn
expect_json 'j["id"]' 2
expect_rc 4 "show unknown code" site show 3301229999
expect_err_has "site show: '3301229999': no such site"
expect_rc 4 "show unknown id" site show 99
expect_rc 4 "show unknown URL" site show www.none.gov.cn
expect_err_has "no such site (no site has the URL http://www.none.gov.cn/)"
expect_rc 3 "show a non-reference" site show "ftp://x"
expect_err_has "site show: 'ftp://x': not a site id, 网站标识码 or URL"

expect_ok "site list" site list
expect_out_has "编号  网站名称        网址                              网站标识码  类型          所属单位      状态"
expect_out_has "1     青溪县人民政府  https://www.qx.gov.cn/            3301220001  政府门户网站  青溪县        运行中"
expect_out_has "3     白石镇人民政府  https://bsz.qx.gov.cn/index.html  bm12345678  部门网站      白石镇        已迁移"
expect_ok "site list json" --json site list
expect_json 'len(j)' 3
expect_json '[s["code"] for s in j]' '["3301220001", "3301220002", "bm12345678"]'
expect_ok "filter by kind" --json site list --kind portal
expect_json '[s["id"] for s in j]' "[1]"
expect_ok "filter by Chinese status" --json site list --status 已迁移
expect_json '[s["id"] for s in j]' "[3]"
expect_ok "filter by unit subtree" --json site list --unit 青溪县
expect_json '[s["id"] for s in j]' "[1, 2, 3]"
expect_ok "filter by a leaf unit" --json site list --unit 青溪县教育局
expect_json '[s["id"] for s in j]' "[2]"
expect_ok "empty result" site list --unit 临江市人民政府
expect_out_is "（没有网站）"
expect_ok "empty JSON result" --json site list --unit 6
expect_json 'j' "[]"
expect_rc 3 "bad filter" site list --kind 博客
expect_err_has "site list: --kind: unknown site kind '博客'"
expect_rc 4 "filter by unknown unit" site list --unit 没有
expect_err_has "site list: --unit '没有': no such unit"

expect_ok "site edit by URL" site edit jyj.qx.gov.cn --status closed --note 已关停
expect_out_is "已更新网站 2：青溪县教育局 http://jyj.qx.gov.cn/"
expect_ok "site edit json" --json site edit 3301220002 --url https://jyj.qx.gov.cn/ --supervisor 青溪县人民政府
expect_json 'j["url"]' "https://jyj.qx.gov.cn/"
expect_json 'j["status"]' closed
expect_json 'j["note"]' 已关停
expect_ok "sponsor '' resets to the unit name" --json site edit 3 --unit 青溪县 --sponsor ""
expect_json 'j["sponsor"]' 青溪县
expect_rc 3 "edit onto another code" site edit 3 --code 3301220001
expect_err_has "site edit: --code '3301220001': already registered (id 1, 青溪县人民政府)"
expect_rc 3 "edit onto another URL" site edit 3 --url http://jyj.qx.gov.cn/
expect_err_has "already registered (id 2"
expect_rc 4 "edit an unknown site" site edit 3301229999 --name x
expect_err_has "site edit: '3301229999': no such site"

# ---------------------------------------------------------------- accounts
expect_ok "account add (Chinese platform)" account add --name 青溪发布 --platform 微信订阅号 --unit 青溪县 --cert-subject 青溪县人民政府办公室
expect_out_is "已添加账号 1：微信订阅号:青溪发布"
expect_ok "account add (English platform)" --json account add --name 青溪发布 --platform weibo --unit 1 --url https://weibo.com/qxfb --status 运行中
expect_json 'j["platform"]' weibo
expect_json 'j["platform_label"]' 微博
expect_json 'j["url"]' "https://weibo.com/qxfb"
expect_json 'j["cert_subject"]' null
expect_ok "account add (alias)" account add --name 青溪教育 --platform 抖音号 --unit 青溪县/青溪县教育局
expect_rc 3 "duplicate account" account add --name 青溪发布 --platform 订阅号 --unit 青溪县
expect_err_has "account add: --name '青溪发布': 微信订阅号:青溪发布 already registered (id 1)"
expect_rc 3 "bad platform" account add --name x --platform 视频号 --unit 青溪县
expect_err_has "account add: --platform: unknown platform '视频号'"
expect_rc 3 "bad account URL" account add --name x --platform 微博 --unit 青溪县 --url weibo.com/x
expect_err_has "account add: --url 'weibo.com/x': URL has no scheme"
expect_rc 4 "account unknown unit" account add --name x --platform 微博 --unit 青溪
expect_err_has "account add: --unit '青溪': no such unit"
expect_rc 3 "bad account status" account add --name x --platform 微博 --unit 青溪县 --status 休眠
expect_err_has "account add: --status: unknown account status '休眠'"
expect_rc 2 "account add missing platform" account add --name x --unit 青溪县
expect_err_has "account add: missing required option --platform"

expect_ok "account show by platform:name" --json account show 微博:青溪发布
expect_json 'j["id"]' 2
expect_ok "account show by key:name" --json account show "wechat-sub:青溪发布"
expect_json 'j["id"]' 1
expect_ok "account show by unique name" account show 青溪教育
expect_out_has "账号类型：抖音"
expect_out_has "开设主体：青溪县/青溪县教育局"
expect_rc 3 "ambiguous account" account show 青溪发布
expect_err_has "account show: '青溪发布': ambiguous: 2 accounts are named '青溪发布': 微信订阅号:青溪发布 (id 1), 微博:青溪发布 (id 2); give 平台:名称 or the id"
expect_rc 4 "unknown account" account show 抖音:没有
expect_err_has "account show: '抖音:没有': no such account"
expect_ok "account list" account list
expect_out_has "编号  账号名称  账号类型    开设主体      认证主体              状态"
expect_out_has "1     青溪发布  微信订阅号  青溪县        青溪县人民政府办公室  运行中"
expect_ok "account list by platform" --json account list --platform 微博
expect_json '[a["id"] for a in j]' "[2]"
expect_ok "account list by unit" --json account list --unit 青溪县教育局
expect_json '[a["id"] for a in j]' "[3]"
expect_ok "account edit" --json account edit 3 --status 已停更 --note 三个月未更新
expect_json 'j["status"]' suspended
expect_json 'j["status_label"]' 已停更
expect_rc 3 "account edit onto a duplicate" account edit 2 --platform 微信订阅号
expect_err_has "微信订阅号:青溪发布 already registered (id 1)"
expect_ok "account list by status" --json account list --status suspended
expect_json '[a["id"] for a in j]' "[3]"
expect_ok "unit counts" --json unit show 青溪县
expect_json 'j["sites"]' 2
expect_json 'j["accounts"]' 2

# ---------------------------------------------------------------- removal
expect_rc 3 "remove a unit in use" unit remove 青溪县
expect_err_has "unit remove: '青溪县': "
expect_err_has "still refer to it"
expect_rc 3 "remove a unit with an account" unit remove 青溪县/青溪县教育局
expect_ok "remove an account" account remove 青溪教育
expect_out_is "已删除账号 3：抖音:青溪教育"
expect_rc 4 "removed account is gone" account show 3
expect_ok "remove a site by code" site remove 3301220002
expect_out_is "已删除网站 2：青溪县教育局 https://jyj.qx.gov.cn/"
expect_rc 4 "removed site is gone" site show 3301220002
expect_rc 3 "still has a child unit" unit remove 青溪县/青溪县教育局
expect_ok "remove a leaf unit" unit remove 青溪县/青溪县教育局/办公室
expect_out_is "已删除单位 4：青溪县/青溪县教育局/办公室"
expect_ok "remove the now unused unit" --json unit remove 青溪县教育局
expect_json 'j["removed"]' 2
expect_rc 4 "remove an unknown unit" unit remove 没有

# ---------------------------------------------------------------- import (a fresh database)
E2E_DB=$T/import.db
printf '%s\n' \
  '单位名称,上级单位,单位类型,行政区划代码,联系人' \
  '青溪县教育局,青溪县,部门,,' \
  '办公室,青溪县/青溪县教育局,部门,,"王五, 0571-5678"' \
  '青溪县,,地区政府,330122,' \
  '白石镇,青溪县,乡镇街道,,' \
  '' \
  '办公室,白石镇,部门,,' >"$T/units.csv"
expect_ok "unit import (children first, aliases, quoted cell, blank line)" unit import "$T/units.csv"
expect_out_is "已导入 5 个单位"
expect_ok "imported tree" --json unit list
expect_json '[u["path"] for u in j]' '["青溪县", "青溪县/青溪县教育局", "青溪县/青溪县教育局/办公室", "青溪县/白石镇", "青溪县/白石镇/办公室"]'
expect_json '[u["kind"] for u in j]' '["region", "department", "department", "town", "department"]'
expect_json 'j[2]["contact"]' "王五, 0571-5678"

# sites: CSV with columns in another order, padding and aliases
printf '%s\r\n' \
  '网址,网站名称,网站标识码,所属单位,网站类型,有无对外服务功能,运行状态' \
  ' https://WWW.qx.gov.cn ,青溪县人民政府,3301220001,青溪县,门户网站,是,正常运行' \
  'http://jyj.qx.gov.cn/,青溪县教育局,3301220002,青溪县教育局,部门网站,否,运行中' >"$T/sites.csv"
expect_ok "site import CSV" site import "$T/sites.csv"
expect_out_is "已导入 2 个网站"
expect_ok "imported sites" --json site list
expect_json '[s["url"] for s in j]' '["https://www.qx.gov.cn/", "http://jyj.qx.gov.cn/"]'
expect_json '[s["kind"] for s in j]' '["portal", "department"]'
expect_json '[s["external_service"] for s in j]' '[true, false]'
expect_json '[s["sponsor"] for s in j]' '["青溪县", "青溪县教育局"]'

# sites: XLSX made by Python, the code as a number cell
printf '%s\n' \
  "网站名称	网址	网站标识码	网站类型	所属单位	主办单位	主管单位	有无对外服务功能	运行状态	备注" \
  "白石镇人民政府	https://bsz.qx.gov.cn/	3301220003	部门网站	白石镇	白石镇人民政府	青溪县人民政府	有	已关停	2024年关停" \
  "青溪县卫健局	http://wjj.qx.gov.cn/	bm33012200	部门网站	青溪县	青溪县卫生健康局		无	运行中	" >"$T/sites.tsv"
xlsx_from_tsv "$T/sites.xlsx" <"$T/sites.tsv"
expect_ok "site import XLSX" --json site import "$T/sites.xlsx"
expect_json 'j["inserted"]' 2
expect_json 'j["updated"]' 0
expect_ok "XLSX rows registered" --json site show 3301220003
expect_json 'j["status"]' closed
expect_json 'j["note"]' 2024年关停
expect_json 'j["supervisor"]' 青溪县人民政府
expect_ok "bm code from XLSX" --json site show bm33012200
expect_json 'j["external_service"]' false

# accounts
printf '%s\n' \
  '账号名称,账号类型,开设主体,认证主体,账号地址,运行状态,备注' \
  '青溪发布,微信公众号,青溪县,青溪县人民政府办公室,,运营中,' \
  '青溪发布,微博,青溪县,,https://weibo.com/qxfb,,' \
  '白石之声,今日头条,白石镇,,,已停更,半年未更新' >"$T/accounts.csv"
expect_ok "account import" account import "$T/accounts.csv"
expect_out_is "已导入 3 个账号"
expect_ok "imported accounts" --json account list
expect_json '[a["platform"] for a in j]' '["wechat-sub", "weibo", "toutiao"]'
expect_json '[a["status"] for a in j]' '["running", "running", "suspended"]'

# a CSV saved by Excel on Chinese Windows (GB18030), header cells padded
python3 -c 'import sys; open(sys.argv[1], "wb").write(" 账号名称 ,账号类型,开设主体\r\n青溪政务,快手,青溪县\r\n".encode("gb18030"))' "$T/gb.csv"
expect_ok "account import from GB18030" account import "$T/gb.csv"
expect_out_is "已导入 1 个账号"
expect_ok "GB18030 row registered" --json account show 快手:青溪政务
expect_json 'j["unit"]' 青溪县
expect_ok "remove it again" account remove 快手:青溪政务

# a file with several bad rows: every problem reported, nothing written
gw --json site list
cp "$OUT" "$T/before.json"
gw --json unit list
cp "$OUT" "$T/units-before.json"
printf '%s\n' \
  '网站名称,网址,网站标识码,网站类型,所属单位,主办单位,主管单位,有无对外服务功能,运行状态,备注' \
  '正常站,https://ok.qx.gov.cn/,3301220010,部门网站,青溪县,,,有,运行中,' \
  '坏码站,https://a.qx.gov.cn/,123,部门网站,青溪县,,,有,运行中,' \
  '坏网址,ftp://b.qx.gov.cn/,3301220011,部门网站,青溪县,,,有,运行中,' \
  '坏单位,https://c.qx.gov.cn/,3301220012,部门网站,青溪,,,有,运行中,' \
  '重复网址,http://ok.qx.gov.cn,3301220013,博客,青溪县,,,也许,停用,' \
  '已注册,https://www.qx.gov.cn/,3301220001,部门网站,青溪县,,,有,运行中,' \
  ',,,,,,,,,' \
  '空名,https://d.qx.gov.cn/,3301220010,部门网站,青溪县,,,有,运行中,' >"$T/bad.csv"
expect_rc 3 "import with bad rows" site import "$T/bad.csv"
B=$T/bad.csv
expect_err_has "$B:3: column 网站标识码: '123' is not a valid 网站标识码 (网站标识码 must be 10 digits starting with a province code, or bm + 8 digits)"
expect_err_has "$B:4: column 网址: 'ftp://b.qx.gov.cn/' is not a valid URL (scheme 'ftp' is not http or https)"
expect_err_has "$B:5: column 所属单位: '青溪': no such unit"
expect_err_has "$B:6: column 网址: same URL as line 2"
expect_err_has "$B:6: column 网站类型: unknown site kind '博客'"
expect_err_has "$B:6: column 有无对外服务功能: '也许' is not yes or no"
expect_err_has "$B:6: column 运行状态: unknown site status '停用'"
expect_err_has "$B:7: column 网站标识码: '3301220001' already registered (id 1, 青溪县人民政府)"
expect_err_has "$B:7: column 网址: 'https://www.qx.gov.cn/' already registered (id 1, 青溪县人民政府)"
expect_err_has "$B:9: column 网站标识码: same 网站标识码 as line 2"
expect_err_has "govwatch: $B: 10 problems found; nothing was imported"
n=$(grep -c "^$B:" "$ERR")
expect_eq "$n" 10 "number of problem lines"
gw --json site list
cmp -s "$OUT" "$T/before.json" || fail "the register changed after a failed import"
pass

# header problems
printf '%s\n' '网站名称,网站地址,网站标识码,网站名称' 'a,b,c,d' >"$T/head.csv"
expect_rc 3 "import with a bad header" site import "$T/head.csv"
expect_err_has "$T/head.csv:1: column 网站名称 appears twice (columns 1 and 4)"
expect_err_has "$T/head.csv:1: unknown column '网站地址' (the columns are: 网站名称, 网址, 网站标识码, 网站类型, 所属单位, 主办单位, 主管单位, 有无对外服务功能, 运行状态, 备注)"
expect_err_has "$T/head.csv:1: missing required columns: 网址, 所属单位"

# units: a cycle, an unknown parent, a duplicate; the tree is unchanged
printf '%s\n' \
  '单位名称,上级单位,单位类型,行政区划代码,联系人' \
  '甲,乙,部门,,' \
  '乙,甲,部门,,' \
  '丙,没有,部门,,' \
  '白石镇,青溪县,乡镇,,' \
  '丁,青溪县,机关,33012,' >"$T/units-bad.csv"
expect_rc 3 "unit import with bad rows" unit import "$T/units-bad.csv"
expect_err_has "$T/units-bad.csv:2: column 上级单位: '乙' makes a cycle (line 2 -> line 3 -> line 2)"
expect_err_has "$T/units-bad.csv:3: column 上级单位: '甲' makes a cycle (line 3 -> line 2 -> line 3)"
expect_err_has "$T/units-bad.csv:4: column 上级单位: '没有': no such unit (neither registered nor in this file)"
expect_err_has "$T/units-bad.csv:5: column 单位名称: '白石镇' already registered (id 4, 青溪县/白石镇)"
expect_err_has "$T/units-bad.csv:6: column 单位类型: unknown unit kind '机关'"
expect_err_has "$T/units-bad.csv:6: column 行政区划代码: '33012': 行政区划代码 must be 6 digits starting with a province code"
gw --json unit list
cmp -s "$OUT" "$T/units-before.json" || fail "the unit tree changed after a failed import"
pass

# accounts: duplicates in the file and in the register
printf '%s\n' \
  '账号名称,账号类型,开设主体' \
  '新账号,抖音,青溪县' \
  '新账号,抖音短视频,青溪县' \
  '青溪发布,微博,青溪县' >"$T/acc-bad.csv"
expect_rc 3 "account import with duplicates" account import "$T/acc-bad.csv"
expect_err_has "$T/acc-bad.csv:3: column 账号名称: same account (抖音:新账号) as line 2"
expect_err_has "$T/acc-bad.csv:4: column 账号名称: 微博:青溪发布 already registered (id 2)"

# --update: registered rows (by 网站标识码, else URL) are updated
printf '%s\n' \
  '网站名称,网址,网站标识码,所属单位,运行状态' \
  '青溪县人民政府门户网站,https://www.qx.gov.cn/,3301220001,青溪县,运行中' \
  '青溪县教育局网站,http://jyj.qx.gov.cn/,3301220020,青溪县教育局,已迁移' \
  '青溪县林业局,https://lyj.qx.gov.cn/,3301220021,青溪县,运行中' >"$T/update.csv"
expect_rc 3 "without --update registered rows are refused" site import "$T/update.csv"
expect_err_has "already registered (id 1"
expect_ok "site import --update" site import --update "$T/update.csv"
expect_out_is "已导入 1 个网站，更新 2 个网站"
expect_ok "updated by code" --json site show 1
expect_json 'j["name"]' 青溪县人民政府门户网站
expect_ok "updated by URL, with a new code" --json site show jyj.qx.gov.cn
expect_json 'j["code"]' 3301220020
expect_json 'j["status"]' migrated
expect_json 'j["id"]' 2
expect_ok "site count" --json site list
expect_json 'len(j)' 5

printf '%s\n' '账号名称,账号类型,开设主体,运行状态' '青溪发布,微博,青溪县,已注销' >"$T/acc-upd.csv"
expect_ok "account import --update" account import --update "$T/acc-upd.csv"
expect_out_is "已导入 0 个账号，更新 1 个账号"
expect_ok "account updated" --json account show 微博:青溪发布
expect_json 'j["status"]' closed

# read errors of the table layer are reported with the file
printf 'a,b\n"x\n' >"$T/broken.csv"
expect_rc 3 "malformed CSV" site import "$T/broken.csv"
expect_err_has "site import: $T/broken.csv:2:"
expect_rc 3 "unknown extension" site import "$T/sites.txt"
expect_err_has "site import: $T/sites.txt: unknown file type"
expect_rc 4 "missing file" site import "$T/none.csv"
expect_err_has "site import: $T/none.csv: cannot open"
expect_rc 3 "export to an unknown extension" site export "$T/out.txt"

# ---------------------------------------------------------------- round trips
# a note with a line break, a comma and quotes must survive CSV and XLSX
E2E_DB=$T/import.db
expect_ok "multi-line note" --json site edit 3301220003 --note $'第一行, "引号"\n第二行'
expect_json 'j["note"]' $'第一行, "引号"\n第二行'
for fmt in csv xlsx; do
  E2E_DB=$T/import.db
  for kind in unit site account; do
    expect_ok "$kind export $fmt" "$kind" export "$T/$kind-1.$fmt"
  done
  expect_out_has "已导出 3 个账号到 $T/account-1.$fmt"
  E2E_DB=$T/round-$fmt.db
  for kind in unit site account; do
    expect_ok "$kind import $fmt into a new database" "$kind" import "$T/$kind-1.$fmt"
  done
  for kind in unit site account; do
    expect_ok "$kind export $fmt again" --json "$kind" export "$T/$kind-2.$fmt"
    if [ "$fmt" = csv ]; then
      cmp -s "$T/$kind-1.csv" "$T/$kind-2.csv" || fail "$kind CSV round trip differs: $(diff "$T/$kind-1.csv" "$T/$kind-2.csv" | head -5)"
    else
      xlsx_cells "$T/$kind-1.xlsx" >"$T/$kind-1.cells" || fail "cannot read $T/$kind-1.xlsx"
      xlsx_cells "$T/$kind-2.xlsx" >"$T/$kind-2.cells" || fail "cannot read $T/$kind-2.xlsx"
      cmp -s "$T/$kind-1.cells" "$T/$kind-2.cells" || fail "$kind XLSX round trip differs"
      [ -s "$T/$kind-1.cells" ] || fail "$kind XLSX export is empty"
    fi
    pass
  done
  # and the registers agree record by record (ids, names, references)
  E2E_DB=$T/import.db
  gw --json site list
  python3 -c 'import json,sys; print(json.dumps([{k:v for k,v in s.items() if not k.endswith("_at")} for s in json.load(open(sys.argv[1]))], ensure_ascii=False))' "$OUT" >"$T/a.json"
  E2E_DB=$T/round-$fmt.db
  gw --json site list
  python3 -c 'import json,sys; print(json.dumps([{k:v for k,v in s.items() if not k.endswith("_at")} for s in json.load(open(sys.argv[1]))], ensure_ascii=False))' "$OUT" >"$T/b.json"
  cmp -s "$T/a.json" "$T/b.json" || fail "sites differ after the $fmt round trip"
  pass
done
head -1 "$T/site-1.csv" | od -An -tx1 | head -1 | grep -q "ef bb bf" || fail "CSV export lacks the UTF-8 BOM"
pass
head -1 "$T/site-1.cells" | grep -qF "网站名称	网址	网站标识码" || fail "XLSX export header"
pass

# ---------------------------------------------------------------- store errors
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.commit()' "$T/foreign.db"
E2E_DB=$T/foreign.db
expect_rc 5 "a database that is not GovWatch's" site list
expect_err_has "not a GovWatch database"

finish
