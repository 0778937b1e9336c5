/* message_queue.c - MESSAGE_QUEUE (message_queue.h): a singly linked FIFO of messages. */
#include <stdlib.h>
#include "message_queue.h"

typedef struct MQ_NODE_TAG
{
    MESSAGE_HANDLE message;
    struct MQ_NODE_TAG* next;
} MQ_NODE;

struct MESSAGE_QUEUE_TAG
{
    MQ_NODE* head;
    MQ_NODE* tail;
};

MESSAGE_QUEUE_HANDLE MESSAGE_QUEUE_create(void)
{
    return (MESSAGE_QUEUE_HANDLE)calloc(1, sizeof(struct MESSAGE_QUEUE_TAG));
}

void MESSAGE_QUEUE_destroy(MESSAGE_QUEUE_HANDLE handle)
{
    if (handle == NULL)
    {
        return;
    }
    while (handle->head != NULL)
    {
        MQ_NODE* n = handle->head;
        handle->head = n->next;
        Message_Destroy(n->message);
        free(n);
    }
    free(handle);
}

int MESSAGE_QUEUE_push(MESSAGE_QUEUE_HANDLE handle, MESSAGE_HANDLE element)
{
    MQ_NODE* n;
    if (handle == NULL || element == NULL)
    {
        return __LINE__;
    }
    n = (MQ_NODE*)malloc(sizeof(*n));
    if (n == NULL)
    {
        return __LINE__;
    }
    n->message = element;
    n->next = NULL;
    if (handle->tail == NULL)
    {
        handle->head = n;
    }
    else
    {
        handle->tail->next = n;
    }
    handle->tail = n;
    return 0;
}

MESSAGE_HANDLE MESSAGE_QUEUE_pop(MESSAGE_QUEUE_HANDLE handle)
{
    MQ_NODE* n;
    MESSAGE_HANDLE m;
    if (handle == NULL || handle->head == NULL)
    {
        return NULL;
    }
    n = handle->head;
    handle->head = n->next;
    if (handle->head == NULL)
    {
        handle->tail = NULL;
    }
    m = n->message;
    free(n);
    return m;
}

MESSAGE_HANDLE MESSAGE_QUEUE_front(MESSAGE_QUEUE_HANDLE handle)
{
    return (handle == NULL || handle->head == NULL) ? NULL : handle->head->message;
}

bool MESSAGE_QUEUE_is_empty(MESSAGE_QUEUE_HANDLE handle)
{
    return handle == NULL || handle->head == NULL;
}
