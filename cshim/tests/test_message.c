/* test_message.c - Message_* (message.h), MESSAGE_QUEUE (message_queue.h) and the
 * argument checks of the C broker API, run under AddressSanitizer. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "message.h"
#include "message_queue.h"
#include "broker.h"
#include "module.h"
#include "gw_internal.h"

extern uintptr_t test_last_publish_msg;
extern int test_last_publish_flags;

static const unsigned char vector44[44] = {
    0xa1, 0x60, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x02, 0x73, 0x6f, 0x75, 0x72, 0x63,
    0x65, 0x00, 0x73, 0x65, 0x6e, 0x73, 0x6f, 0x72, 0x31, 0x00, 0x74, 0x79, 0x70, 0x65, 0x00,
    0x74, 0x65, 0x6d, 0x70, 0x00, 0x00, 0x00, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f};

static MESSAGE_HANDLE make_hello(void)
{
    MAP_HANDLE props = Map_Create(NULL);
    MESSAGE_CONFIG cfg;
    MESSAGE_HANDLE m;
    Map_Add(props, "source", "sensor1");
    Map_Add(props, "type", "temp");
    cfg.size = 5;
    cfg.source = (const unsigned char*)"hello";
    cfg.sourceProperties = props;
    m = Message_Create(&cfg);
    Map_Destroy(props); /* Message_Create copied the properties */
    return m;
}

static void test_create_and_serialize(void)
{
    unsigned char buf[64];
    MESSAGE_HANDLE m = make_hello();
    const CONSTBUFFER* content;
    CONSTMAP_HANDLE props;
    CHECK(m != NULL);
    CHECK_INT(44, Message_ToByteArray(m, NULL, 0));
    CHECK_INT(-1, Message_ToByteArray(m, buf, 43));
    CHECK_INT(44, Message_ToByteArray(m, buf, sizeof(buf)));
    CHECK(memcmp(buf, vector44, 44) == 0);
    content = Message_GetContent(m);
    CHECK(content != NULL && content->size == 5 && memcmp(content->buffer, "hello", 5) == 0);
    props = Message_GetProperties(m);
    CHECK_STR("temp", ConstMap_GetValue(props, "type"));
    ConstMap_Destroy(props);
    Message_Destroy(m);
}

static void test_from_byte_array(void)
{
    unsigned char buf[44];
    unsigned char bad[44];
    MESSAGE_HANDLE m = Message_CreateFromByteArray(vector44, 44);
    CHECK(m != NULL);
    CHECK_INT(44, Message_ToByteArray(m, buf, 44));
    CHECK(memcmp(buf, vector44, 44) == 0);
    Message_Destroy(m);

    CHECK(Message_CreateFromByteArray(NULL, 44) == NULL);
    CHECK(Message_CreateFromByteArray(vector44, 13) == NULL);
    CHECK(Message_CreateFromByteArray(vector44, 43) == NULL);
    memcpy(bad, vector44, 44);
    bad[0] = 0xa2;
    CHECK(Message_CreateFromByteArray(bad, 44) == NULL);
    memcpy(bad, vector44, 44);
    bad[16] = 'x'; /* key no longer NUL-terminated where expected: the value runs on */
    bad[24] = 'x';
    bad[29] = 'x';
    bad[34] = 'x';
    CHECK(Message_CreateFromByteArray(bad, 44) == NULL);
    memcpy(bad, vector44, 44);
    bad[9] = 0x7f; /* absurd property count */
    CHECK(Message_CreateFromByteArray(bad, 44) == NULL);
}

static void test_buffer_and_null_args(void)
{
    CONSTBUFFER_HANDLE cb = CONSTBUFFER_Create((const unsigned char*)"abc", 3);
    MAP_HANDLE props = Map_Create(NULL);
    MESSAGE_BUFFER_CONFIG bcfg;
    MESSAGE_CONFIG cfg;
    MESSAGE_HANDLE m;
    CONSTBUFFER_HANDLE again;
    bcfg.sourceContent = cb;
    bcfg.sourceProperties = props;
    m = Message_CreateFromBuffer(&bcfg);
    CHECK(m != NULL);
    CONSTBUFFER_Destroy(cb); /* the message holds its own reference */
    again = Message_GetContentHandle(m);
    CHECK(again != NULL && CONSTBUFFER_GetContent(again)->size == 3);
    CONSTBUFFER_Destroy(again);
    Message_Destroy(m);

    cfg.size = 1;
    cfg.source = (const unsigned char*)"x";
    cfg.sourceProperties = NULL;
    CHECK(Message_Create(&cfg) == NULL);
    CHECK(Message_Create(NULL) == NULL);
    bcfg.sourceContent = NULL;
    CHECK(Message_CreateFromBuffer(&bcfg) == NULL);
    Map_Destroy(props);
    CHECK(Message_Clone(NULL) == NULL);
    CHECK(Message_GetContent(NULL) == NULL);
    CHECK(Message_GetContentHandle(NULL) == NULL);
    CHECK(Message_GetProperties(NULL) == NULL);
    CHECK_INT(-1, Message_ToByteArray(NULL, NULL, 0));
    Message_Destroy(NULL);
}

/* Content and properties live in the message's block; handles taken from a message
 * keep it alive after the publisher's Message_Destroy (ASan checks the frees). */
static void test_embedded_handles_outlive_message(void)
{
    MESSAGE_HANDLE m = make_hello();
    CONSTMAP_HANDLE props = Message_GetProperties(m);
    CONSTBUFFER_HANDLE content = Message_GetContentHandle(m);
    CONSTMAP_HANDLE props2 = ConstMap_Clone(props);
    CONSTBUFFER_HANDLE content2 = CONSTBUFFER_Clone(content);
    MAP_HANDLE writable;
    CHECK_INT(5, m->refcount); /* each handle counts on the message */
    CHECK_INT(GW_MSG_EMBEDS_CONTENT | GW_MSG_EMBEDS_PROPERTIES, m->embedded);
    Message_Destroy(m);
    CHECK(strcmp(ConstMap_GetValue(props, "source"), "sensor1") == 0);
    CONSTBUFFER_Destroy(content);
    ConstMap_Destroy(props);
    CHECK(memcmp(CONSTBUFFER_GetContent(content2)->buffer, "hello", 5) == 0);
    writable = ConstMap_CloneWriteable(props2); /* an independent copy */
    ConstMap_Destroy(props2);
    CHECK(strcmp(Map_GetValueFromKey(writable, "type"), "temp") == 0);
    Map_Destroy(writable);
    CONSTBUFFER_Destroy(content2); /* the last reference frees the block */

    m = Message_CreateFromByteArray(vector44, 44);
    CHECK(m != NULL);
    props = Message_GetProperties(m);
    Message_Destroy(m);
    CHECK(strcmp(ConstMap_GetValue(props, "type"), "temp") == 0);
    ConstMap_Destroy(props);
}

static MESSAGE_HANDLE shared;

static void* clone_destroy(void* arg)
{
    int i;
    (void)arg;
    for (i = 0; i < 100000; i++)
    {
        MESSAGE_HANDLE c = Message_Clone(shared);
        Message_Destroy(c);
    }
    return NULL;
}

static void test_refcount_threads(void)
{
    pthread_t t[4];
    int i;
    shared = make_hello();
    for (i = 0; i < 4; i++)
    {
        pthread_create(&t[i], NULL, clone_destroy, NULL);
    }
    for (i = 0; i < 4; i++)
    {
        pthread_join(t[i], NULL);
    }
    CHECK_INT(1, shared->refcount);
    Message_Destroy(shared); /* ASan reports a leak or double free if the count is wrong */
}

static void test_queue(void)
{
    MESSAGE_QUEUE_HANDLE q = MESSAGE_QUEUE_create();
    MESSAGE_HANDLE a = make_hello(), b = make_hello();
    CHECK(MESSAGE_QUEUE_is_empty(q));
    CHECK_INT(0, MESSAGE_QUEUE_push(q, a));
    CHECK_INT(0, MESSAGE_QUEUE_push(q, b));
    CHECK(MESSAGE_QUEUE_front(q) == a);
    CHECK(MESSAGE_QUEUE_pop(q) == a);
    CHECK(!MESSAGE_QUEUE_is_empty(q));
    Message_Destroy(a);
    CHECK(MESSAGE_QUEUE_push(q, NULL) != 0);
    CHECK(MESSAGE_QUEUE_pop(NULL) == NULL);
    MESSAGE_QUEUE_destroy(q); /* releases b */
}

static void test_broker_args(void)
{
    MESSAGE_HANDLE m = make_hello();
    CHECK_INT(BROKER_INVALIDARG, Broker_Publish(NULL, (MODULE_HANDLE)1, m));
    CHECK_INT(BROKER_INVALIDARG, Broker_Publish((BROKER_HANDLE)16, NULL, m));
    CHECK_INT(BROKER_INVALIDARG, Broker_Publish((BROKER_HANDLE)16, (MODULE_HANDLE)1, NULL));
    CHECK_INT(BROKER_OK, Broker_Publish((BROKER_HANDLE)16, (MODULE_HANDLE)1, m));
    CHECK(test_last_publish_msg == (uintptr_t)m);
    CHECK_INT(0, test_last_publish_flags);
    CHECK_INT(BROKER_INVALIDARG, Broker_AddModule(NULL, NULL));
    CHECK_INT(BROKER_INVALIDARG, Broker_AddLink((BROKER_HANDLE)16, NULL));
    CHECK_STR("BROKER_INVALIDARG", BROKER_RESULTStrings(BROKER_INVALIDARG));
    Message_Destroy(m);
}

int main(void)
{
    TEST_RUN(test_create_and_serialize);
    TEST_RUN(test_from_byte_array);
    TEST_RUN(test_buffer_and_null_args);
    TEST_RUN(test_embedded_handles_outlive_message);
    TEST_RUN(test_refcount_threads);
    TEST_RUN(test_queue);
    TEST_RUN(test_broker_args);
    return test_summary("test_message");
}
