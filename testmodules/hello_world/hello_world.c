/* hello_world - look-alike of the SDK's hello_world sample module.
 *
 * Args: ignored (any JSON, null or absent).
 * Behaviour: Module_Start starts a thread that publishes at once and then every
 * 5 seconds a message with content "hello world" (11 bytes, no NUL) and one
 * property helloWorld = "from Azure IoT Gateway SDK simple sample!".
 * Received messages are ignored. Module_Destroy wakes the thread through a
 * condition variable and joins it, so it returns promptly (never waits 5 s).
 * Library: libhello_world.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "azure_c_shared_utility/condition.h"
#include "azure_c_shared_utility/lock.h"
#include "azure_c_shared_utility/threadapi.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"

#define HELLO_CONTENT "hello world"
#define HELLO_PROPERTY "helloWorld"
#define HELLO_VALUE "from Azure IoT Gateway SDK simple sample!"
#define HELLO_PERIOD_MS 5000
/* Upper bound of one condition wait, so that even a lost wake-up delays
 * Destroy by at most this much. */
#define HELLO_MAX_WAIT_MS 100

typedef struct HELLO_WORLD_TAG
{
    BROKER_HANDLE broker;
    LOCK_HANDLE lock;
    COND_HANDLE cond;
    int stop;            /* guarded by lock */
    int thread_started;  /* touched only by Start and Destroy (gateway thread) */
    THREAD_HANDLE thread;
} HELLO_WORLD;

static uint64_t hello_now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void hello_publish(HELLO_WORLD* h)
{
    MESSAGE_CONFIG cfg;
    MESSAGE_HANDLE msg;
    MAP_HANDLE props = Map_Create(NULL);
    if (props == NULL)
    {
        LogError("hello_world: Map_Create failed");
        return;
    }
    if (Map_AddOrUpdate(props, HELLO_PROPERTY, HELLO_VALUE) != MAP_OK)
    {
        LogError("hello_world: Map_AddOrUpdate failed");
        Map_Destroy(props);
        return;
    }
    cfg.size = strlen(HELLO_CONTENT);
    cfg.source = (const unsigned char*)HELLO_CONTENT;
    cfg.sourceProperties = props;
    msg = Message_Create(&cfg);
    if (msg == NULL)
    {
        LogError("hello_world: Message_Create failed");
    }
    else
    {
        if (Broker_Publish(h->broker, (MODULE_HANDLE)h, msg) != BROKER_OK)
        {
            LogError("hello_world: Broker_Publish failed");
        }
        Message_Destroy(msg);
    }
    Map_Destroy(props);
}

/* Publishes now, then sleeps until the next 5 s tick or until stop is set. */
static int hello_thread(void* arg)
{
    HELLO_WORLD* h = (HELLO_WORLD*)arg;
    int stop = 0;
    while (!stop)
    {
        uint64_t deadline;
        hello_publish(h);
        deadline = hello_now_ms() + HELLO_PERIOD_MS;
        (void)Lock(h->lock);
        for (;;)
        {
            uint64_t now;
            if (h->stop)
            {
                stop = 1;
                break;
            }
            now = hello_now_ms();
            if (now >= deadline)
            {
                break;
            }
            (void)Condition_Wait(h->cond, h->lock,
                (int)(deadline - now < HELLO_MAX_WAIT_MS ? deadline - now : HELLO_MAX_WAIT_MS));
        }
        (void)Unlock(h->lock);
    }
    return 0;
}

static void* HelloWorld_ParseConfigurationFromJson(const char* configuration)
{
    (void)configuration;
    return NULL;
}

static void HelloWorld_FreeConfiguration(void* configuration)
{
    (void)configuration;
}

static MODULE_HANDLE HelloWorld_Create(BROKER_HANDLE broker, const void* configuration)
{
    HELLO_WORLD* h;
    (void)configuration;
    if (broker == NULL)
    {
        LogError("hello_world: NULL broker");
        return NULL;
    }
    h = (HELLO_WORLD*)calloc(1, sizeof(HELLO_WORLD));
    if (h == NULL)
    {
        LogError("hello_world: out of memory");
        return NULL;
    }
    h->broker = broker;
    h->lock = Lock_Init();
    h->cond = Condition_Init();
    if (h->lock == NULL || h->cond == NULL)
    {
        LogError("hello_world: cannot create lock/condition");
        if (h->cond != NULL)
        {
            Condition_Deinit(h->cond);
        }
        if (h->lock != NULL)
        {
            (void)Lock_Deinit(h->lock);
        }
        free(h);
        return NULL;
    }
    return (MODULE_HANDLE)h;
}

static void HelloWorld_Start(MODULE_HANDLE module)
{
    HELLO_WORLD* h = (HELLO_WORLD*)module;
    if (h == NULL || h->thread_started)
    {
        return;
    }
    if (ThreadAPI_Create(&h->thread, hello_thread, h) != THREADAPI_OK)
    {
        LogError("hello_world: ThreadAPI_Create failed");
        return;
    }
    h->thread_started = 1;
}

static void HelloWorld_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    (void)module;
    (void)message;
}

static void HelloWorld_Destroy(MODULE_HANDLE module)
{
    HELLO_WORLD* h = (HELLO_WORLD*)module;
    if (h == NULL)
    {
        return;
    }
    if (h->thread_started)
    {
        int res;
        (void)Lock(h->lock);
        h->stop = 1;
        (void)Condition_Post(h->cond);
        (void)Unlock(h->lock);
        if (ThreadAPI_Join(h->thread, &res) != THREADAPI_OK)
        {
            LogError("hello_world: ThreadAPI_Join failed");
        }
    }
    Condition_Deinit(h->cond);
    (void)Lock_Deinit(h->lock);
    free(h);
}

static const MODULE_API_1 HelloWorld_Api =
{
    { MODULE_API_VERSION_1 },
    HelloWorld_ParseConfigurationFromJson,
    HelloWorld_FreeConfiguration,
    HelloWorld_Create,
    HelloWorld_Destroy,
    HelloWorld_Receive,
    HelloWorld_Start
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&HelloWorld_Api;
}
