/* fixture_module.c - a tiny native module for the loader tests (uses the gateway headers
 * only; links against nothing but libc). Built by run_loader_tests.sh in several variants:
 *
 *   (no define)              valid MODULE_API_1 (version MODULE_API_VERSION_1, which is 0;
 *                            all functions set, Module_Start too)
 *   -DFIXTURE_BAD_VERSION    reports API version 1 (> MODULE_API_VERSION_1): rejected
 *   -DFIXTURE_NO_CREATE      Module_Create is NULL: rejected
 *   -DFIXTURE_NULL_API       Module_GetApi returns NULL: rejected
 *   -DFIXTURE_NO_GETAPI      does not export Module_GetApi at all: rejected
 *
 * The module: ParseConfigurationFromJson copies the string; Create copies the
 * configuration string into its handle; Receive counts messages; Destroy frees the handle.
 * fixture_module_marker() and fixture_last_version let the tests find symbols and see
 * the version the loader asked for. */
#include <stdlib.h>
#include <string.h>

#include "module.h"

typedef struct FIXTURE_HANDLE_TAG
{
    char* configuration;
    int received;
    int started;
} FIXTURE_HANDLE;

MODULE_EXPORT int fixture_last_version = -1;

MODULE_EXPORT int fixture_module_marker(void)
{
    return 4242;
}

static char* fixture_copy(const char* text)
{
    size_t n;
    char* copy;
    if (text == NULL)
    {
        return NULL;
    }
    n = strlen(text) + 1;
    copy = (char*)malloc(n);
    if (copy != NULL)
    {
        memcpy(copy, text, n);
    }
    return copy;
}

static void* fixture_parse_configuration(const char* configuration)
{
    return fixture_copy(configuration);
}

static void fixture_free_configuration(void* configuration)
{
    free(configuration);
}

/* Exported so that the FIXTURE_NO_CREATE variant, which leaves it out of the table, still
 * compiles warning-free. */
MODULE_EXPORT MODULE_HANDLE fixture_create(BROKER_HANDLE broker, const void* configuration)
{
    FIXTURE_HANDLE* h;
    (void)broker;
    h = (FIXTURE_HANDLE*)calloc(1, sizeof(*h));
    if (h != NULL && configuration != NULL)
    {
        h->configuration = fixture_copy((const char*)configuration);
    }
    return h;
}

static void fixture_destroy(MODULE_HANDLE module)
{
    FIXTURE_HANDLE* h = (FIXTURE_HANDLE*)module;
    if (h != NULL)
    {
        free(h->configuration);
        free(h);
    }
}

static void fixture_receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    FIXTURE_HANDLE* h = (FIXTURE_HANDLE*)module;
    (void)message;
    if (h != NULL)
    {
        h->received++;
    }
}

static void fixture_start(MODULE_HANDLE module)
{
    FIXTURE_HANDLE* h = (FIXTURE_HANDLE*)module;
    if (h != NULL)
    {
        h->started = 1;
    }
}

/* Exported (not static) so that the variants that never return it still compile warning-free. */
MODULE_EXPORT const MODULE_API_1 fixture_api = {
#ifdef FIXTURE_BAD_VERSION
    { (MODULE_API_VERSION)1 },
#else
    { MODULE_API_VERSION_1 },
#endif
    fixture_parse_configuration,
    fixture_free_configuration,
#ifdef FIXTURE_NO_CREATE
    NULL,
#else
    fixture_create,
#endif
    fixture_destroy,
    fixture_receive,
    fixture_start,
};

#ifndef FIXTURE_NO_GETAPI
MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    fixture_last_version = (int)gateway_api_version;
#ifdef FIXTURE_NULL_API
    return NULL;
#else
    return &fixture_api.base;
#endif
}
#endif
