#ifndef CCURL_H
#define CCURL_H

#include <stddef.h>

/// The outcome of one GET (libcurl loaded at run time with dlopen, so a process that never makes a
/// request never loads libcurl and its TLS, Kerberos and LDAP libraries).
typedef struct ccurl_response {
    /// 0 ok, 1 timeout, 2 network error, 3 libcurl missing, 4 out of memory.
    int outcome;
    long status;
    /// Raw header lines as received ("Name: value\r\n" each, status lines included).
    char *headers;
    size_t headers_length;
    char *body;
    size_t body_length;
    /// libcurl's message on failure (no URL, no header value).
    char error[256];
} ccurl_response;

/// 1 when libcurl can be loaded (loads it once).
int ccurl_available(void);

/// GET `url` (http or https only, no redirects followed) with `header_count` header lines ("Name: value")
/// and a whole-transfer timeout in milliseconds. Fills `out`; free it with `ccurl_free`.
void ccurl_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
               ccurl_response *out);

/// Frees the buffers of `response`.
void ccurl_free(ccurl_response *response);

#endif
