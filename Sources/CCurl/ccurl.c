#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// The few libcurl entry points and option numbers used (curl.h: CURLOPTTYPE_LONG 0, OBJECTPOINT 10000,
// FUNCTIONPOINT 20000; CURLINFO_LONG 0x200000). Stable ABI since libcurl 7.
enum {
    OPT_WRITEDATA = 10001,
    OPT_URL = 10002,
    OPT_ERRORBUFFER = 10010,
    OPT_WRITEFUNCTION = 20011,
    OPT_HTTPHEADER = 10023,
    OPT_HEADERDATA = 10029,
    OPT_FOLLOWLOCATION = 52,
    OPT_HEADERFUNCTION = 20079,
    OPT_NOSIGNAL = 99,
    OPT_ACCEPT_ENCODING = 10102,
    OPT_TIMEOUT_MS = 155,
    OPT_CONNECTTIMEOUT_MS = 156,
    OPT_PROTOCOLS = 181,
    OPT_REDIR_PROTOCOLS = 182,
    INFO_RESPONSE_CODE = 0x200000 + 2,
    E_OPERATION_TIMEDOUT = 28,
    PROTO_HTTP_HTTPS = 3,
    GLOBAL_DEFAULT = 3,
};

struct curl_slist;
static void *(*easy_init)(void);
static int (*easy_setopt)(void *, int, ...);
static int (*easy_perform)(void *);
static int (*easy_getinfo)(void *, int, ...);
static void (*easy_cleanup)(void *);
static const char *(*easy_strerror)(int);
static struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
static void (*slist_free_all)(struct curl_slist *);
static int (*global_init)(long);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = 0;

static void load(void) {
    const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
    void *lib = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    *(void **)&easy_init = dlsym(lib, "curl_easy_init");
    *(void **)&easy_setopt = dlsym(lib, "curl_easy_setopt");
    *(void **)&easy_perform = dlsym(lib, "curl_easy_perform");
    *(void **)&easy_getinfo = dlsym(lib, "curl_easy_getinfo");
    *(void **)&easy_cleanup = dlsym(lib, "curl_easy_cleanup");
    *(void **)&easy_strerror = dlsym(lib, "curl_easy_strerror");
    *(void **)&slist_append = dlsym(lib, "curl_slist_append");
    *(void **)&slist_free_all = dlsym(lib, "curl_slist_free_all");
    *(void **)&global_init = dlsym(lib, "curl_global_init");
    if (!easy_init || !easy_setopt || !easy_perform || !easy_getinfo || !easy_cleanup || !easy_strerror ||
        !slist_append || !slist_free_all || !global_init)
        return;
    if (global_init(GLOBAL_DEFAULT) != 0) return;
    loaded = 1;
}

int ccurl_available(void) {
    pthread_once(&once, load);
    return loaded;
}

typedef struct buffer {
    char *data;
    size_t length;
    size_t capacity;
    int failed;
} buffer;

static size_t append(char *chunk, size_t size, size_t count, void *context) {
    buffer *b = context;
    size_t n = size * count;
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 16384;
        while (capacity < b->length + n + 1) capacity *= 2;
        char *grown = realloc(b->data, capacity);
        if (!grown) {
            b->failed = 1;
            return 0;
        }
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, chunk, n);
    b->length += n;
    b->data[b->length] = 0;
    return n;
}

void ccurl_get(const char *url, const char *const *headers, int header_count, long timeout_ms,
               ccurl_response *out) {
    memset(out, 0, sizeof *out);
    if (!ccurl_available()) {
        out->outcome = 3;
        strncpy(out->error, "libcurl (libcurl4) is not installed", sizeof out->error - 1);
        return;
    }
    void *curl = easy_init();
    if (!curl) {
        out->outcome = 4;
        strncpy(out->error, "cannot start a transfer", sizeof out->error - 1);
        return;
    }
    buffer body = {0}, head = {0};
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = slist_append(list, headers[i]);
    char message[256] = {0};
    easy_setopt(curl, OPT_URL, url);
    easy_setopt(curl, OPT_PROTOCOLS, (long)PROTO_HTTP_HTTPS);
    easy_setopt(curl, OPT_REDIR_PROTOCOLS, (long)PROTO_HTTP_HTTPS);
    easy_setopt(curl, OPT_FOLLOWLOCATION, 0L);
    easy_setopt(curl, OPT_NOSIGNAL, 1L);
    easy_setopt(curl, OPT_TIMEOUT_MS, timeout_ms);
    easy_setopt(curl, OPT_CONNECTTIMEOUT_MS, timeout_ms);
    easy_setopt(curl, OPT_ACCEPT_ENCODING, "");
    easy_setopt(curl, OPT_HTTPHEADER, list);
    easy_setopt(curl, OPT_WRITEFUNCTION, append);
    easy_setopt(curl, OPT_WRITEDATA, &body);
    easy_setopt(curl, OPT_HEADERFUNCTION, append);
    easy_setopt(curl, OPT_HEADERDATA, &head);
    easy_setopt(curl, OPT_ERRORBUFFER, message);
    int rc = easy_perform(curl);
    if (rc == 0) {
        long status = 0;
        easy_getinfo(curl, INFO_RESPONSE_CODE, &status);
        out->status = status;
    } else {
        out->outcome = rc == E_OPERATION_TIMEDOUT ? 1 : (body.failed || head.failed) ? 4 : 2;
        const char *text = message[0] ? message : easy_strerror(rc);
        strncpy(out->error, text, sizeof out->error - 1);
    }
    easy_cleanup(curl);
    slist_free_all(list);
    out->body = body.data;
    out->body_length = body.length;
    out->headers = head.data;
    out->headers_length = head.length;
}

void ccurl_free(ccurl_response *response) {
    free(response->body);
    free(response->headers);
    response->body = NULL;
    response->headers = NULL;
}
