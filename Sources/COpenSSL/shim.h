#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/err.h>
#include <sys/prctl.h>

static inline void copenssl_free(void *p) { OPENSSL_free(p); }

/* AEAD control codes (macro aliases Swift does not import reliably). */
static inline int copenssl_ctrl_gcm_set_ivlen(void) { return EVP_CTRL_GCM_SET_IVLEN; }
static inline int copenssl_ctrl_gcm_get_tag(void) { return EVP_CTRL_GCM_GET_TAG; }
static inline int copenssl_ctrl_gcm_set_tag(void) { return EVP_CTRL_GCM_SET_TAG; }

/* HKDF-SHA256 (RFC 5869, extract-and-expand) through EVP_KDF "HKDF". The OSSL_PARAM keys are
   string macros whose storage must outlive the call, which is why this glue lives in C.
   Returns 1 on success, 0 on failure. */
static inline int copenssl_hkdf_sha256(const unsigned char *ikm, size_t ikm_len,
                                       const unsigned char *salt, size_t salt_len,
                                       const unsigned char *info, size_t info_len,
                                       unsigned char *out, size_t out_len) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    if (kdf == NULL) return 0;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == NULL) return 0;
    OSSL_PARAM params[5];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_len);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len);
    params[4] = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
}

/* PBKDF2-HMAC-SHA256 through EVP_KDF "PBKDF2": unlike PKCS5_PBKDF2_HMAC, whose count is an int,
   it takes any u32 iteration count, as IDXV1 headers may carry. pkcs5 = 1 turns off the SP 800-132
   lower-bound checks (the RFC test vectors use 1 iteration and a 4-byte salt); the vault enforces
   its own bounds. Returns 1 on success, 0 on failure. */
static inline int copenssl_pbkdf2_sha256(const unsigned char *pass, size_t pass_len,
                                         const unsigned char *salt, size_t salt_len,
                                         uint64_t iterations, unsigned char *out, size_t out_len) {
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "PBKDF2", NULL);
    if (kdf == NULL) return 0;
    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    if (ctx == NULL) return 0;
    int pkcs5 = 1;
    OSSL_PARAM params[6];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pass, pass_len);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len);
    params[3] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iterations);
    params[4] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
    params[5] = OSSL_PARAM_construct_end();
    int ok = EVP_KDF_derive(ctx, out, out_len, params) == 1;
    EVP_KDF_CTX_free(ctx);
    return ok;
}

/* prctl is variadic, which Swift cannot call. */
static inline int copenssl_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int copenssl_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }
/* Tests only: undo copenssl_set_not_dumpable to check that hardening precedes a read. */
static inline int copenssl_set_dumpable(void) { return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); }
#endif
