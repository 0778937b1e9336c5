/* util_doublylinkedlist.c - intrusive circular doubly linked lists. */
#include <stddef.h>
#include "azure_c_shared_utility/doublylinkedlist.h"

void DList_InitializeListHead(PDLIST_ENTRY listHead)
{
    if (listHead != NULL)
    {
        listHead->Flink = listHead;
        listHead->Blink = listHead;
    }
}

int DList_IsListEmpty(const PDLIST_ENTRY listHead)
{
    return (listHead == NULL || listHead->Flink == listHead) ? 1 : 0;
}

void DList_InsertTailList(PDLIST_ENTRY listHead, PDLIST_ENTRY listEntry)
{
    PDLIST_ENTRY last;

    if (listHead == NULL || listEntry == NULL)
    {
        return;
    }
    last = listHead->Blink;
    listEntry->Flink = listHead;
    listEntry->Blink = last;
    last->Flink = listEntry;
    listHead->Blink = listEntry;
}

void DList_InsertHeadList(PDLIST_ENTRY listHead, PDLIST_ENTRY listEntry)
{
    PDLIST_ENTRY first;

    if (listHead == NULL || listEntry == NULL)
    {
        return;
    }
    first = listHead->Flink;
    listEntry->Flink = first;
    listEntry->Blink = listHead;
    first->Blink = listEntry;
    listHead->Flink = listEntry;
}

void DList_AppendTailList(PDLIST_ENTRY listHead, PDLIST_ENTRY listToAppend)
{
    PDLIST_ENTRY old_last;
    PDLIST_ENTRY appended_last;

    if (listHead == NULL || listToAppend == NULL)
    {
        return;
    }
    old_last = listHead->Blink;
    appended_last = listToAppend->Blink;
    old_last->Flink = listToAppend;
    listToAppend->Blink = old_last;
    appended_last->Flink = listHead;
    listHead->Blink = appended_last;
}

int DList_RemoveEntryList(PDLIST_ENTRY listEntry)
{
    PDLIST_ENTRY next;
    PDLIST_ENTRY previous;

    if (listEntry == NULL)
    {
        return 0;
    }
    next = listEntry->Flink;
    previous = listEntry->Blink;
    previous->Flink = next;
    next->Blink = previous;
    return (next == previous) ? 1 : 0;
}

PDLIST_ENTRY DList_RemoveHeadList(PDLIST_ENTRY listHead)
{
    PDLIST_ENTRY first;

    if (listHead == NULL)
    {
        return NULL;
    }
    first = listHead->Flink;
    if (first == listHead)
    {
        return listHead;
    }
    (void)DList_RemoveEntryList(first);
    return first;
}
