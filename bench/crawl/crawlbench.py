#!/usr/bin/env python3
"""Helpers of the crawl benchmark (bench/crawl/run.sh); Python 3 standard library only.

  crawlbench.py nginx-conf SITE_DIR PORT PREFIX TEMPLATE > nginx.conf
      nginx configuration serving the family written by `govwatch sample generate`
      under SITE_DIR on 127.0.0.1:PORT: one server block per served host, the
      redirect chain and loop of the manifest as `return` rules, 502 for any
      other host (the unresolvable ones), the bszs.conac.cn records by their id.
  crawlbench.py oracle SITE_DIR > oracle.json
      the ground truth as nginx serves it: every URL answering 200 (checked against
      the manifest's `pages`), which are HTML, every link that fails and why.
  crawlbench.py score TOOL OUTPUT ORACLE MANIFEST [KEY=VALUE...]
      parse one tool's output and print one JSON line: URLs reached, HTML pages
      fetched, planted broken links reported, other links reported broken, plus
      the KEY=VALUE pairs (access=LOG is replaced by nginx's request counts).
  crawlbench.py table ROWS.jsonl
      the Markdown table of the scored runs.
  crawlbench.py notes ROWS.jsonl
      per tool: what it missed, what it reported wrongly, its requests.

Everything that compares URLs first normalises them the same way (norm()).
"""
import csv
import html
import json
import os
import re
import sys
from collections import deque
from urllib.parse import urljoin, urlsplit, urlunsplit, parse_qs

csv.field_size_limit(1 << 30)

FAMILY_SUFFIX = ".qingxi.gov.cn"
LINK_RE = re.compile(rb"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
RECORD_ID_RE = re.compile(r"^[0-9A-Fa-f]{32}$")
HTML_TYPES = ("text/html",)


def die(msg):
    print(f"crawlbench: {msg}", file=sys.stderr)
    sys.exit(1)


def norm(url):
    """Absolute http(s) URL with lower-case scheme and host, no default port,
    '/' for an empty path and no fragment; None for anything else."""
    try:
        p = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = p.scheme.lower()
    if scheme not in ("http", "https") or not p.hostname:
        return None
    host = p.hostname.lower()
    try:
        port = p.port
    except ValueError:
        return None
    if port and not (scheme == "http" and port == 80) and not (scheme == "https" and port == 443):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, p.path or "/", p.query, ""))


def load_manifest(site_dir):
    path = os.path.join(site_dir, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(f"{path}: cannot read the manifest: {e}")


def redirect_rules(manifest):
    """{(host, path): (status, location)} from the redirect defects' chains."""
    rules = {}
    for d in manifest["defects"]:
        if d["kind"] not in ("redirect_chain", "redirect_loop"):
            continue
        for hop in d["chain"]:
            p = urlsplit(hop["url"])
            rules[(p.hostname, p.path)] = (int(hop["status"]), hop["location"])
    return rules


def planted_broken(manifest):
    """Targets a link checker must report as broken, with the defect ids: the
    broken_link and soft_404 defects and those that also count as a broken link
    (the redirect loop, the hidden spam link)."""
    out = {}
    for d in manifest["defects"]:
        if d["kind"] in ("broken_link", "soft_404") or d.get("counts_as_broken_link"):
            out[norm(d["target"])] = {"id": d["id"], "kind": d["kind"],
                                      "scope": d.get("scope", d["kind"])}
    return out


# ---------------------------------------------------------------- nginx config

def nginx_conf(site_dir, port, prefix, template):
    m = load_manifest(site_dir)
    site_dir = os.path.realpath(site_dir)
    charset = {s["host"]: s["charset"] for s in m["sites"]}
    rules = redirect_rules(m)
    blocks = []
    for host in m["hosts"]:
        root = os.path.join(site_dir, host)
        if not os.path.isdir(root):
            die(f"{root}: missing; was the family written with `govwatch sample generate`?")
        lines = [
            "  server {",
            f"    listen 127.0.0.1:{port};",
            f"    server_name {host};",
            f"    root {root};",
            f"    charset {charset.get(host, 'UTF-8')};",
        ]
        for (h, path), (status, location) in sorted(rules.items()):
            if h == host:
                lines.append(f'    location = {path} {{ return {status} "{location}"; }}')
        if host == "bszs.conac.cn":
            # The 党政机关标识 records: one page per id, fetched from the fixture
            # server by run.sh into records/ID.html (write_dir does not write them).
            lines += [
                "    location = /sitename {",
                '      if ($arg_method != "show") { return 404; }',
                '      if ($arg_id !~ "^[0-9A-Fa-f]{32}$") { return 404; }',
                "      default_type text/html;",
                "      try_files /records/$arg_id.html =404;",
                "    }",
                "    location /records/ { internal; }",
            ]
        # The host's own 404 page, as the fixture server answers a missing URL
        # (run.sh gen_site fetched it into _404/HOST/); nginx's default if none.
        page404 = os.path.join(site_dir, "_404", host)
        if os.path.isfile(os.path.join(page404, "__bench_404.html")):
            lines += [
                "    error_page 404 /__bench_404.html;",
                f"    location = /__bench_404.html {{ internal; root {page404}; }}",
            ]
        # Extension-less files (www.beian.gov.cn/portal/registerSystemInfo) are pages.
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if "." not in name:
                    rel = "/" + os.path.relpath(os.path.join(dirpath, name), root)
                    lines.append(f"    location = {rel} {{ default_type text/html; }}")
        lines.append("  }")
        blocks.append("\n".join(lines))
    with open(template, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("@PREFIX@", os.path.realpath(prefix)).replace("@PORT@", str(port))
    text = text.replace("@SERVERS@", "\n".join(blocks))
    sys.stdout.write(text)


# ---------------------------------------------------------------- oracle

class Site:
    """The family as nginx serves it (bench/crawl/nginx.conf.in + nginx-conf)."""

    def __init__(self, site_dir):
        self.dir = site_dir
        self.m = load_manifest(site_dir)
        self.hosts = set(self.m["hosts"])
        self.rules = redirect_rules(self.m)

    def file_of(self, url):
        p = urlsplit(url)
        host, path = p.hostname, p.path
        if host == "bszs.conac.cn" and path == "/sitename":
            q = parse_qs(p.query)
            rid = q.get("id", [""])[0]
            if q.get("method") == ["show"] and RECORD_ID_RE.match(rid):
                return os.path.join(self.dir, host, "records", rid + ".html")
            return None
        if path.endswith("/"):
            path += "index.html"
        f = os.path.join(self.dir, host, path.lstrip("/"))
        return f if os.path.isfile(f) else None

    def get(self, url):
        """(status, location, file) for one request."""
        p = urlsplit(url)
        if p.hostname not in self.hosts:
            return 502, None, None
        r = self.rules.get((p.hostname, p.path))
        if r:
            return r[0], urljoin(url, r[1]), None
        f = self.file_of(url)
        return (200, None, f) if f else (404, None, None)


def is_html_file(f):
    base = os.path.basename(f)
    return base.endswith((".html", ".htm")) or "." not in base


def links_of(f, base):
    with open(f, "rb") as fh:
        data = fh.read()
    for mt in LINK_RE.finditer(data):
        raw = (mt.group(1) if mt.group(1) is not None else mt.group(2)).decode("latin-1")
        raw = html.unescape(raw).strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        u = norm(urljoin(base, raw))
        if u:
            yield u


def oracle(site_dir):
    site = Site(site_dir)
    m = site.m
    starts = []
    for s in m["sites"]:
        home = norm(s["url"])
        starts += [home, norm(urljoin(home, "/robots.txt"))]
    ok, html_pages, failing, redirected = {}, set(), {}, {}
    seen = set(starts)
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        hops, cur, status = 0, url, None
        while True:
            status, loc, f = site.get(cur)
            if status in (301, 302) and hops < 20:
                hops += 1
                cur = norm(loc)
                if cur == url or cur in redirected.get(url, []):
                    status = "loop"
                    break
                redirected.setdefault(url, []).append(cur)
                continue
            break
        if status != 200:
            failing[url] = {"status": status}
            continue
        if hops:
            # A redirect source is not a page; its final URL is crawled as a link.
            if cur not in seen:
                seen.add(cur)
                queue.append(cur)
            continue
        ok[url] = f
        if is_html_file(f):
            html_pages.add(url)
            for link in links_of(f, url):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    if len(ok) != m["pages"]:
        die(f"oracle: {len(ok)} URLs answer 200 under nginx but the manifest counts "
            f"{m['pages']} pages; the served family and the manifest disagree")
    json.dump({"pages": sorted(ok), "html": sorted(html_pages), "failing": failing,
               "redirects": redirected}, sys.stdout, indent=0, sort_keys=True)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- tool outputs

def parse_wget2(path):
    """wget2 --stats-site=csv:FILE: ID,ParentID,URL,Status,Link,Method,Size,
    SizeDecompressed,TransferTime,ResponseTime,Encoding,Verification; one row per
    request (a HEAD then a GET for an HTML page in --spider mode)."""
    reached, broken = {}, set()
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.reader(f):
            if not row or row[0] == "ID" or len(row) < 4:
                continue
            u = norm(row[2])
            if not u:
                continue
            try:
                status = int(row[3])
            except ValueError:
                status = 0
            reached[u] = status
            if status == 0 or status >= 400:
                broken.add(u)
    return reached, broken


def parse_linkchecker(path):
    """linkchecker -o csv --verbose: urlname;parentname;baseref;result;warningstring;
    infostring;valid;url;line;column;name;dltime;size;checktime;cached;level;modified."""
    reached, broken = {}, set()
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        lines = [ln for ln in f if not ln.startswith("#")]
    rd = csv.DictReader(lines, delimiter=";")
    for row in rd:
        # urlname is the link as written, resolved against its page; url is
        # LinkChecker's normalised form (it decodes %3A%2F in queries). Both
        # name the URL it checked: count either as reached, report the first.
        base = row.get("baseref") or row.get("parentname") or ""
        written = norm(urljoin(base, row.get("urlname") or ""))
        checked = norm(row.get("url") or "")
        forms = [u for u in (written, checked) if u]
        if not forms:
            continue
        result = row.get("result") or ""
        mt = re.match(r"\s*(\d{3})", result)
        for u in forms:
            reached[u] = int(mt.group(1)) if mt else 0
        if (row.get("valid") or "").strip().lower() in ("false", "0", "no"):
            broken.add(forms[0])
    return reached, broken


def parse_linkinator(path):
    """linkinator --format json: {"passed": bool, "links": [{url, status, state, parent}]}."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.find("{")
    if start < 0:
        die(f"{path}: no JSON from linkinator")
    data = json.JSONDecoder().raw_decode(text[start:])[0]
    reached, broken = {}, set()
    for link in data.get("links", []):
        u = norm(link.get("url") or "")
        if not u:
            continue
        status = link.get("status") or 0
        if u not in reached or reached[u] == 0:
            reached[u] = status
        if link.get("state") == "BROKEN":
            broken.add(u)
    return reached, broken


def parse_govwatch(path):
    """GovWatch's own record of the crawl: the store it crawled into (SQLite,
    table crawl_urls: url, state 1 queued / 2 done / 3 failed / 4 skipped,
    http_status, error). Reached: done with 200. Broken: failed, an error
    (redirect loop, DNS failure...) or a status of 400 and above."""
    import sqlite3
    reached, broken = {}, set()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for url, state, status, error in con.execute(
                "SELECT url, state, http_status, error FROM crawl_urls"):
            u = norm(url or "")
            if not u:
                continue
            if state == 2 and status == 200 and not error:
                reached[u] = 200
            elif u not in reached:
                reached[u] = status or 0
            if state == 3 or error or (status and status >= 400):
                broken.add(u)
    finally:
        con.close()
    return reached, broken


def add_govwatch_links(path, broken):
    """`govwatch links SITE --broken --json` outputs, concatenated JSON
    documents: the "target" of any object inside is a link GovWatch reports
    broken."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    dec, i = json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = dec.raw_decode(text, i)
        stack = [doc]
        while stack:
            x = stack.pop()
            if isinstance(x, dict):
                t = x.get("target")
                if isinstance(t, str) and norm(t):
                    broken.add(norm(t))
                stack.extend(x.values())
            elif isinstance(x, list):
                stack.extend(x)


def access_counts(path):
    """Requests nginx served during a run (bench/crawl/nginx.conf.in log format
    '$msec $status $body_bytes_sent $request_method $host $request_uri'), and
    the seconds from the first request to the one at 99 % and to the last."""
    n, methods, classes, times = 0, {}, {}, []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(" ", 5)
                if len(parts) < 6:
                    continue
                n += 1
                try:
                    times.append(float(parts[0]))
                except ValueError:
                    pass
                methods[parts[3]] = methods.get(parts[3], 0) + 1
                cls = parts[1][:1] + "xx"
                classes[cls] = classes.get(cls, 0) + 1
    except OSError:
        pass
    out = {"requests": n, "methods": methods, "statuses": classes}
    if times:
        times.sort()
        out["span_s"] = round(times[-1] - times[0], 3)
        out["p99_s"] = round(times[max(0, (99 * len(times) + 99) // 100 - 1)] - times[0], 3)
    return out


def parse_extra(items):
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            die(f"score: '{item}' is not KEY=VALUE")
        out[key] = value
    return out


def score(tool, output, oracle_path, manifest_path, extra):
    with open(oracle_path, encoding="utf-8") as f:
        ora = json.load(f)
    with open(manifest_path, encoding="utf-8") as f:
        man = json.load(f)
    parsers = {"wget2": parse_wget2, "linkchecker": parse_linkchecker,
               "linkinator": parse_linkinator, "govwatch": parse_govwatch}
    if tool not in parsers:
        die(f"score: unknown tool '{tool}'")
    reached, broken = parsers[tool](output)
    row = parse_extra(extra)
    if tool == "govwatch" and row.get("links"):
        add_govwatch_links(row["links"], broken)
    # A tool's own robots.txt requests are not links it checked.
    broken = {u for u in broken if urlsplit(u).path != "/robots.txt"}
    pages, htmls = set(ora["pages"]), set(ora["html"])
    got = {u for u, st in reached.items() if st == 200} & pages
    planted = planted_broken(man)
    found = sorted(u for u in planted if u in broken)
    missed = sorted(u for u in planted if u not in broken)
    expected_fail = set(ora["failing"])
    other = sorted(u for u in broken if u not in planted)
    if "access" in row:
        row["access"] = access_counts(row["access"])
    row.update({
        "tool": tool,
        "urls_total": len(pages),
        "urls_reached": len(got),
        "urls_missed_sample": sorted(pages - got)[:10],
        "html_total": len(htmls),
        "html_fetched": len(got & htmls),
        "planted_total": len(planted),
        "planted_found": len(found),
        "planted_missed": [f"{planted[u]['id']} {planted[u]['kind']} {u}" for u in missed],
        "other_broken": len(other),
        "other_broken_expected": sorted(u for u in other if u in expected_fail),
        "other_broken_unexpected": [u for u in other if u not in expected_fail],
    })
    print(json.dumps(row, ensure_ascii=False, sort_keys=True))


# ---------------------------------------------------------------- table

def load_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def table(rows_path):
    print("| tool | wall s | CPU s (user+sys) | HTML pages/s | URLs reached | planted broken links reported | other links reported broken | HTTP requests | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in load_rows(rows_path):
        wall = float(r["wall"])
        cpu = float(r["user"]) + float(r["sys"])
        pps = r["html_fetched"] / wall if wall > 0 else 0.0
        share = 100.0 * r["urls_reached"] / r["urls_total"]
        req = r.get("access", {}).get("requests", 0)
        print(f"| {r['label']} | {wall:.2f} | {cpu:.2f} | {pps:,.0f} | "
              f"{r['urls_reached']:,} / {r['urls_total']:,} ({share:.2f} %) | "
              f"{r['planted_found']} / {r['planted_total']} | {r['other_broken']} | "
              f"{req:,} | {float(r['rss']):.1f} |")


def notes(rows_path):
    for r in load_rows(rows_path):
        acc = r.get("access", {})
        methods = ", ".join(f"{k} {v:,}" for k, v in sorted(acc.get("methods", {}).items()))
        statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(acc.get("statuses", {}).items()))
        walls = r.get("walls", r["wall"])
        spread = ""
        if "p99_s" in acc:
            spread = (f"; nginx saw its first to last request within {acc['span_s']} s, "
                      f"99 % of them within {acc['p99_s']} s")
        load = f"; load average {r['load']}" if r.get("load") else ""
        print(f"- **{r['label']}**: exit {r['exit']}; wall of each run {walls} s (median shown){load}; "
              f"{r['html_fetched']:,} of {r['html_total']:,} HTML pages; requests {methods} ({statuses}){spread}.")
        if r["planted_missed"]:
            print(f"  Planted broken links not reported: {'; '.join(r['planted_missed'])}.")
        if r["other_broken_expected"]:
            print(f"  Also reported broken, failing under nginx as expected: {', '.join(r['other_broken_expected'])}.")
        if r["other_broken_unexpected"]:
            shown = r["other_broken_unexpected"][:6]
            more = len(r["other_broken_unexpected"]) - len(shown)
            print(f"  Reported broken but working links: {', '.join(shown)}" + (f" and {more} more." if more else "."))
        if r["urls_reached"] < r["urls_total"]:
            print(f"  URLs not reached (first ones): {', '.join(r['urls_missed_sample'][:6])}.")


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd = argv[1]
    if cmd == "nginx-conf" and len(argv) == 6:
        nginx_conf(argv[2], int(argv[3]), argv[4], argv[5])
    elif cmd == "oracle" and len(argv) == 3:
        oracle(argv[2])
    elif cmd == "score" and len(argv) >= 6:
        score(argv[2], argv[3], argv[4], argv[5], argv[6:])
    elif cmd == "table" and len(argv) == 3:
        table(argv[2])
    elif cmd == "notes" and len(argv) == 3:
        notes(argv[2])
    else:
        die(__doc__)


if __name__ == "__main__":
    main(sys.argv)
