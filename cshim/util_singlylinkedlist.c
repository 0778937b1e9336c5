/* util_singlylinkedlist.c - a singly linked list with a tail pointer. */
#include <stdlib.h>
#include "azure_c_shared_utility/singlylinkedlist.h"
#include "azure_c_shared_utility/xlogging.h"

struct LIST_ITEM_INSTANCE_TAG
{
    const void* item;
    struct LIST_ITEM_INSTANCE_TAG* next;
};

struct SINGLYLINKEDLIST_INSTANCE_TAG
{
    struct LIST_ITEM_INSTANCE_TAG* head;
    struct LIST_ITEM_INSTANCE_TAG* tail;
};

SINGLYLINKEDLIST_HANDLE singlylinkedlist_create(void)
{
    SINGLYLINKEDLIST_HANDLE result = malloc(sizeof(*result));
    if (result == NULL)
    {
        LogError("singlylinkedlist_create: out of memory");
        return NULL;
    }
    result->head = NULL;
    result->tail = NULL;
    return result;
}

void singlylinkedlist_destroy(SINGLYLINKEDLIST_HANDLE list)
{
    if (list != NULL)
    {
        LIST_ITEM_HANDLE node = list->head;
        while (node != NULL)
        {
            LIST_ITEM_HANDLE next = node->next;
            free(node);
            node = next;
        }
        free(list);
    }
}

LIST_ITEM_HANDLE singlylinkedlist_add(SINGLYLINKEDLIST_HANDLE list, const void* item)
{
    LIST_ITEM_HANDLE node;

    if (list == NULL || item == NULL)
    {
        LogError("singlylinkedlist_add: invalid argument (list=%p, item=%p)", (void*)list, item);
        return NULL;
    }
    node = malloc(sizeof(*node));
    if (node == NULL)
    {
        LogError("singlylinkedlist_add: out of memory");
        return NULL;
    }
    node->item = item;
    node->next = NULL;
    if (list->tail == NULL)
    {
        list->head = node;
    }
    else
    {
        list->tail->next = node;
    }
    list->tail = node;
    return node;
}

/* Unlinks node, whose predecessor is previous (NULL for the head), and frees it. */
static void unlink_node(SINGLYLINKEDLIST_HANDLE list, LIST_ITEM_HANDLE previous, LIST_ITEM_HANDLE node)
{
    if (previous == NULL)
    {
        list->head = node->next;
    }
    else
    {
        previous->next = node->next;
    }
    if (list->tail == node)
    {
        list->tail = previous;
    }
    free(node);
}

int singlylinkedlist_remove(SINGLYLINKEDLIST_HANDLE list, LIST_ITEM_HANDLE item_handle)
{
    LIST_ITEM_HANDLE previous = NULL;
    LIST_ITEM_HANDLE node;

    if (list == NULL || item_handle == NULL)
    {
        LogError("singlylinkedlist_remove: invalid argument (list=%p, item_handle=%p)", (void*)list,
                 (void*)item_handle);
        return __LINE__;
    }
    for (node = list->head; node != NULL; previous = node, node = node->next)
    {
        if (node == item_handle)
        {
            unlink_node(list, previous, node);
            return 0;
        }
    }
    LogError("singlylinkedlist_remove: item not in the list");
    return __LINE__;
}

LIST_ITEM_HANDLE singlylinkedlist_get_head_item(SINGLYLINKEDLIST_HANDLE list)
{
    if (list == NULL)
    {
        LogError("singlylinkedlist_get_head_item: invalid argument (list=NULL)");
        return NULL;
    }
    return list->head;
}

LIST_ITEM_HANDLE singlylinkedlist_get_next_item(LIST_ITEM_HANDLE item_handle)
{
    return (item_handle == NULL) ? NULL : item_handle->next;
}

LIST_ITEM_HANDLE singlylinkedlist_find(SINGLYLINKEDLIST_HANDLE list, LIST_MATCH_FUNCTION match_function,
                                       const void* match_context)
{
    LIST_ITEM_HANDLE node;

    if (list == NULL || match_function == NULL)
    {
        LogError("singlylinkedlist_find: invalid argument (list=%p, match_function=%s)", (void*)list,
                 (match_function == NULL) ? "NULL" : "set");
        return NULL;
    }
    for (node = list->head; node != NULL; node = node->next)
    {
        if (match_function(node, match_context))
        {
            return node;
        }
    }
    return NULL;
}

const void* singlylinkedlist_item_get_value(LIST_ITEM_HANDLE item_handle)
{
    return (item_handle == NULL) ? NULL : item_handle->item;
}

int singlylinkedlist_remove_if(SINGLYLINKEDLIST_HANDLE list, LIST_CONDITION_FUNCTION condition_function,
                               const void* match_context)
{
    LIST_ITEM_HANDLE previous = NULL;
    LIST_ITEM_HANDLE node;

    if (list == NULL || condition_function == NULL)
    {
        LogError("singlylinkedlist_remove_if: invalid argument (list=%p, condition_function=%s)", (void*)list,
                 (condition_function == NULL) ? "NULL" : "set");
        return __LINE__;
    }
    node = list->head;
    while (node != NULL)
    {
        bool continue_processing = true;
        LIST_ITEM_HANDLE next = node->next;
        if (condition_function(node->item, match_context, &continue_processing))
        {
            unlink_node(list, previous, node);
        }
        else
        {
            previous = node;
        }
        if (!continue_processing)
        {
            break;
        }
        node = next;
    }
    return 0;
}

int singlylinkedlist_foreach(SINGLYLINKEDLIST_HANDLE list, LIST_ACTION_FUNCTION action_function,
                             const void* action_context)
{
    LIST_ITEM_HANDLE node;

    if (list == NULL || action_function == NULL)
    {
        LogError("singlylinkedlist_foreach: invalid argument (list=%p, action_function=%s)", (void*)list,
                 (action_function == NULL) ? "NULL" : "set");
        return __LINE__;
    }
    for (node = list->head; node != NULL; node = node->next)
    {
        bool continue_processing = true;
        action_function(node->item, action_context, &continue_processing);
        if (!continue_processing)
        {
            break;
        }
    }
    return 0;
}
