// Preloaded into linkinator (NODE_OPTIONS=--import) by bench/crawl/run.sh.
//
// linkinator honours http_proxy, but through undici's ProxyAgent with its
// default `proxyTunnel: true`, which sends even plain-HTTP requests as a
// CONNECT tunnel; nginx (the benchmark's proxy) does not implement CONNECT.
// So run.sh leaves http_proxy unset for linkinator and this module installs,
// as the global dispatcher that linkinator's fetch() uses, the same undici
// ProxyAgent with `proxyTunnel: false` (undici's documented option): requests
// go to the proxy as `GET http://host/path`, like wget2's and LinkChecker's.
// No name is ever resolved: every connection goes to GW_BENCH_PROXY.
import { createRequire } from 'node:module';
import path from 'node:path';

const proxy = process.env.GW_BENCH_PROXY;
const modules = process.env.GW_BENCH_NODE_MODULES;
if (!proxy || !modules) {
  throw new Error('linkinator-proxy.mjs: set GW_BENCH_PROXY and GW_BENCH_NODE_MODULES');
}
// The undici that linkinator itself depends on (its node_modules).
const require = createRequire(path.join(modules, 'linkinator', 'package.json'));
const { ProxyAgent, setGlobalDispatcher } = require('undici');
setGlobalDispatcher(new ProxyAgent({ uri: proxy, proxyTunnel: false }));
