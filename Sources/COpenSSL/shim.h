#ifndef ACCORD_COPENSSL_SHIM_H
#define ACCORD_COPENSSL_SHIM_H
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/crypto.h>
#include <openssl/bio.h>

/* Function-like macros and variadic functions Swift cannot import. */

static inline void accord_openssl_free(void *pointer) {
    OPENSSL_free(pointer);
}

static inline long accord_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

static inline int accord_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int accord_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline int accord_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

static inline const char *accord_ssl_get_cipher_name(const SSL *ssl) {
    return SSL_get_cipher_name(ssl);
}

static inline int accord_sk_x509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

static inline X509 *accord_sk_x509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

static inline int accord_sk_general_name_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline const GENERAL_NAME *accord_sk_general_name_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

static inline void accord_general_names_free(GENERAL_NAMES *names) {
    GENERAL_NAMES_free(names);
}

/* TLS context settings (macros over SSL_CTX_ctrl, and 64-bit option bits built with casts). */

static inline int accord_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

static inline long accord_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline long accord_ssl_ctx_set_session_cache_off(SSL_CTX *ctx) {
    return SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

static inline uint64_t accord_ssl_op_no_ticket(void) {
    return SSL_OP_NO_TICKET;
}

static inline uint64_t accord_ssl_op_no_compression(void) {
    return SSL_OP_NO_COMPRESSION;
}

static inline uint64_t accord_ssl_op_no_renegotiation(void) {
    return SSL_OP_NO_RENEGOTIATION;
}

static inline long accord_ssl_mode_partial_write_moving_buffer(void) {
    return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
}

static inline int accord_ssl_set_app_data(SSL *ssl, void *data) {
    return SSL_set_app_data(ssl, data);
}

static inline void *accord_ssl_get_app_data(const SSL *ssl) {
    return SSL_get_app_data(ssl);
}

static inline unsigned long accord_xn_flag_rfc2253(void) {
    return XN_FLAG_RFC2253;
}

static inline int accord_general_name_is_uri(const GENERAL_NAME *name) {
    return name->type == GEN_URI;
}

static inline const ASN1_IA5STRING *accord_general_name_uri(const GENERAL_NAME *name) {
    return name->type == GEN_URI ? name->d.uniformResourceIdentifier : NULL;
}

/* Certificate issuing (CertificateAuthority). */

static inline void accord_x509v3_set_ctx_nodb(X509V3_CTX *ctx) {
    X509V3_set_ctx_nodb(ctx);
}

static inline int accord_mbstring_utf8(void) {
    return MBSTRING_UTF8;
}


#endif
