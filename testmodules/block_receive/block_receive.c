/* block_receive - a module whose Module_Receive stops returning.
 *
 * Args (optional):
 *   "after":    receive N messages normally, block in message N+1 (default 0)
 *   "block_ms": how long to block; 0 or absent = forever (default 0)
 *   "marker":   path of a file created (empty) when the module starts to block,
 *               so a test can wait for that moment without sleeping
 * Behaviour: each blocking Receive sleeps block_ms (or forever), then returns.
 * While blocked it touches no module state, so a host that gives up on it and
 * calls Module_Destroy does not race with it (a forever-blocked thread must not
 * outlive the unloading of this library, though: its code would disappear).
 * Library: libblock_receive.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"
#include "tm_common.h"

typedef struct BLOCK_TAG
{
    uint64_t after;
    uint64_t block_ms;
    char* marker;  /* malloc'd, may be NULL */
    uint64_t received;
} BLOCK;

static void block_free(BLOCK* b)
{
    if (b != NULL)
    {
        free(b->marker);
        free(b);
    }
}

static void* Block_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    BLOCK* b;
    if (tm_args_open("block_receive", configuration, &root, &obj) != 0)
    {
        return NULL;
    }
    b = (BLOCK*)calloc(1, sizeof(BLOCK));
    if (b == NULL)
    {
        LogError("block_receive: out of memory");
    }
    else if (tm_args_get_u64("block_receive", obj, "after", &b->after) != 0 ||
             tm_args_get_u64("block_receive", obj, "block_ms", &b->block_ms) != 0 ||
             tm_args_dup_string("block_receive", obj, "marker", 0, &b->marker) != 0)
    {
        block_free(b);
        b = NULL;
    }
    json_value_free(root);
    return b;
}

static void Block_FreeConfiguration(void* configuration)
{
    block_free((BLOCK*)configuration);
}

/* configuration NULL means all defaults (block forever on the first message) */
static MODULE_HANDLE Block_Create(BROKER_HANDLE broker, const void* configuration)
{
    const BLOCK* c = (const BLOCK*)configuration;
    BLOCK* b = (BLOCK*)calloc(1, sizeof(BLOCK));
    (void)broker;
    if (b == NULL)
    {
        LogError("block_receive: out of memory");
        return NULL;
    }
    if (c != NULL)
    {
        b->after = c->after;
        b->block_ms = c->block_ms;
        if (c->marker != NULL)
        {
            b->marker = (char*)malloc(strlen(c->marker) + 1);
            if (b->marker == NULL)
            {
                LogError("block_receive: out of memory");
                free(b);
                return NULL;
            }
            strcpy(b->marker, c->marker);
        }
    }
    return (MODULE_HANDLE)b;
}

static void Block_Destroy(MODULE_HANDLE module)
{
    block_free((BLOCK*)module);
}

static void Block_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    BLOCK* b = (BLOCK*)module;
    uint64_t block_ms;
    (void)message;
    if (b == NULL)
    {
        return;
    }
    b->received++;
    if (b->received <= b->after)
    {
        return;
    }
    block_ms = b->block_ms;
    if (b->marker != NULL)
    {
        FILE* f = fopen(b->marker, "wb");
        if (f != NULL)
        {
            (void)fclose(f);
        }
        else
        {
            LogError("block_receive: cannot create marker %s", b->marker);
        }
    }
    /* from here on, no access to *b */
    if (block_ms == 0)
    {
        for (;;)
        {
            struct timespec ts = { 3600, 0 };
            (void)nanosleep(&ts, NULL);
        }
    }
    else
    {
        uint64_t deadline = tm_now_ns() + block_ms * 1000000u;
        uint64_t now;
        while ((now = tm_now_ns()) < deadline)
        {
            struct timespec ts;
            uint64_t left = deadline - now;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            (void)nanosleep(&ts, NULL);
        }
    }
}

static const MODULE_API_1 Block_Api =
{
    { MODULE_API_VERSION_1 },
    Block_ParseConfigurationFromJson,
    Block_FreeConfiguration,
    Block_Create,
    Block_Destroy,
    Block_Receive,
    NULL
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Block_Api;
}
