#include "fetch/fetch_error.h"

enum gw_fetch_error gw_fetch_error_from_curl(CURLcode cc)
{
  switch (cc) {
  case CURLE_OK:
    return GW_FE_NONE;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return GW_FE_DNS;
  case CURLE_COULDNT_CONNECT:
    return GW_FE_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return GW_FE_TIMEOUT;
  case CURLE_GOT_NOTHING:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return GW_FE_RESET;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_SHUTDOWN_FAILED:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_USE_SSL_FAILED:
    return GW_FE_TLS;
  case CURLE_TOO_MANY_REDIRECTS:
    return GW_FE_TOO_MANY_REDIRECTS;
  case CURLE_BAD_CONTENT_ENCODING:
  case CURLE_WEIRD_SERVER_REPLY:
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_HTTP_RETURNED_ERROR:
    return GW_FE_PROTOCOL;
  default:
    return GW_FE_OTHER;
  }
}

bool gw_fetch_error_transient(enum gw_fetch_error e)
{
  return e == GW_FE_TIMEOUT || e == GW_FE_RESET || e == GW_FE_CONNECT;
}

bool gw_fetch_status_transient(long s)
{
  return s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
}
