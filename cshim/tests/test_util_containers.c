/* test_util_containers.c - VECTOR_HANDLE (vector.h), SINGLYLINKEDLIST_HANDLE
 * (singlylinkedlist.h) and the intrusive DLIST_ENTRY lists (doublylinkedlist.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/doublylinkedlist.h"
#include "azure_c_shared_utility/singlylinkedlist.h"
#include "azure_c_shared_utility/vector.h"
#include "test_util.h"

typedef struct PAIR_TAG
{
    int id;
    double weight;
} PAIR;

static bool pair_has_id(const void* element, const void* value)
{
    return ((const PAIR*)element)->id == *(const int*)value;
}

static void test_vector_basics(void)
{
    VECTOR_HANDLE v = VECTOR_create(sizeof(PAIR));
    PAIR p[3] = { { 1, 1.5 }, { 2, 2.5 }, { 3, 3.5 } };
    int id = 2;
    PAIR* found;

    CHECK(v != NULL);
    CHECK_INT(0, VECTOR_size(v));
    CHECK(VECTOR_front(v) == NULL);
    CHECK(VECTOR_back(v) == NULL);
    CHECK(VECTOR_element(v, 0) == NULL);
    CHECK(VECTOR_find_if(v, pair_has_id, &id) == NULL);

    CHECK_INT(0, VECTOR_push_back(v, &p[0], 1));
    CHECK_INT(0, VECTOR_push_back(v, &p[1], 2));
    CHECK_INT(3, VECTOR_size(v));
    CHECK_INT(1, ((PAIR*)VECTOR_front(v))->id);
    CHECK_INT(3, ((PAIR*)VECTOR_back(v))->id);
    CHECK_INT(2, ((PAIR*)VECTOR_element(v, 1))->id);
    CHECK(((PAIR*)VECTOR_element(v, 2))->weight == 3.5);
    CHECK(VECTOR_element(v, 3) == NULL);
    p[0].id = 100; /* elements are copies */
    CHECK_INT(1, ((PAIR*)VECTOR_element(v, 0))->id);

    found = VECTOR_find_if(v, pair_has_id, &id);
    CHECK(found == VECTOR_element(v, 1));
    id = 9;
    CHECK(VECTOR_find_if(v, pair_has_id, &id) == NULL);

    CHECK(VECTOR_push_back(NULL, &p[0], 1) != 0);
    CHECK(VECTOR_push_back(v, NULL, 1) != 0);
    CHECK(VECTOR_push_back(v, &p[0], 0) != 0);
    CHECK_INT(3, VECTOR_size(v));
    CHECK(VECTOR_create(0) == NULL);
    CHECK(VECTOR_element(NULL, 0) == NULL);
    CHECK(VECTOR_front(NULL) == NULL);
    CHECK(VECTOR_back(NULL) == NULL);
    CHECK(VECTOR_find_if(NULL, pair_has_id, &id) == NULL);
    CHECK(VECTOR_find_if(v, NULL, &id) == NULL);
    CHECK_INT(0, VECTOR_size(NULL));
    VECTOR_destroy(NULL);
    VECTOR_destroy(v);
}

static int ints_at(VECTOR_HANDLE v, const int* expected, size_t n)
{
    size_t i;
    if (VECTOR_size(v) != n)
    {
        return 0;
    }
    for (i = 0; i < n; i++)
    {
        if (*(int*)VECTOR_element(v, i) != expected[i])
        {
            return 0;
        }
    }
    return 1;
}

static void test_vector_erase_clear_move(void)
{
    VECTOR_HANDLE v = VECTOR_create(sizeof(int));
    VECTOR_HANDLE moved;
    int values[] = { 0, 1, 2, 3, 4, 5 };
    int after_middle[] = { 0, 1, 4, 5 };
    int after_ends[] = { 1, 4 };
    int fill[] = { 7, 8 };
    int i;
    int bad = 0;

    CHECK_INT(0, VECTOR_push_back(v, values, 6));
    VECTOR_erase(v, VECTOR_element(v, 2), 2);
    CHECK(ints_at(v, after_middle, 4));
    VECTOR_erase(v, VECTOR_element(v, 3), 1);
    VECTOR_erase(v, VECTOR_front(v), 1);
    CHECK(ints_at(v, after_ends, 2));

    /* rejected erases leave the vector unchanged */
    VECTOR_erase(v, VECTOR_element(v, 0), 3);              /* past the end */
    VECTOR_erase(v, (char*)VECTOR_element(v, 0) + 1, 1);   /* misaligned */
    VECTOR_erase(v, values, 1);                            /* not in the vector */
    VECTOR_erase(v, NULL, 1);
    VECTOR_erase(v, VECTOR_element(v, 0), 0);
    VECTOR_erase(NULL, values, 1);
    CHECK(ints_at(v, after_ends, 2));

    VECTOR_erase(v, VECTOR_front(v), 2);
    CHECK_INT(0, VECTOR_size(v));
    CHECK(VECTOR_front(v) == NULL);
    CHECK_INT(0, VECTOR_push_back(v, fill, 2));
    CHECK(ints_at(v, fill, 2));
    VECTOR_clear(v);
    CHECK_INT(0, VECTOR_size(v));
    VECTOR_clear(v);
    VECTOR_clear(NULL);

    for (i = 0; i < 10000; i++)
    {
        bad += (VECTOR_push_back(v, &i, 1) != 0);
    }
    CHECK_INT(0, bad);
    CHECK_INT(0, VECTOR_push_back(v, VECTOR_element(v, 5), 3)); /* from itself */
    CHECK_INT(10003, VECTOR_size(v));
    CHECK_INT(7, *(int*)VECTOR_back(v));

    moved = VECTOR_move(v);
    CHECK(moved != NULL && moved != v);
    CHECK_INT(10003, VECTOR_size(moved));
    CHECK_INT(0, VECTOR_size(v));
    CHECK_INT(9999, *(int*)VECTOR_element(moved, 9999));
    CHECK_INT(0, VECTOR_push_back(v, fill, 1)); /* the old handle still works */
    CHECK_INT(1, VECTOR_size(v));
    CHECK(VECTOR_move(NULL) == NULL);
    VECTOR_destroy(moved);
    VECTOR_destroy(v);
}

static bool match_int(LIST_ITEM_HANDLE list_item, const void* match_context)
{
    return *(const int*)singlylinkedlist_item_get_value(list_item) == *(const int*)match_context;
}

typedef struct VISIT_TAG
{
    int sum;
    int calls;
    int stop_at;
} VISIT;

static void sum_action(const void* item, const void* action_context, bool* continue_processing)
{
    VISIT* visit = (VISIT*)action_context;
    visit->sum += *(const int*)item;
    visit->calls++;
    if (*(const int*)item == visit->stop_at)
    {
        *continue_processing = false;
    }
}

static bool remove_even(const void* item, const void* match_context, bool* continue_processing)
{
    VISIT* visit = (VISIT*)match_context;
    visit->calls++;
    if (*(const int*)item == visit->stop_at)
    {
        *continue_processing = false;
    }
    return (*(const int*)item % 2) == 0;
}

/* Collects the list's items into out; returns how many. */
static size_t list_items(SINGLYLINKEDLIST_HANDLE list, int* out, size_t max)
{
    size_t n = 0;
    LIST_ITEM_HANDLE item;
    for (item = singlylinkedlist_get_head_item(list); item != NULL && n < max; item = singlylinkedlist_get_next_item(item))
    {
        out[n++] = *(const int*)singlylinkedlist_item_get_value(item);
    }
    return n;
}

static void test_singlylinkedlist(void)
{
    int values[] = { 1, 2, 3, 4, 5, 6 };
    int got[8];
    SINGLYLINKEDLIST_HANDLE list = singlylinkedlist_create();
    SINGLYLINKEDLIST_HANDLE other = singlylinkedlist_create();
    LIST_ITEM_HANDLE items[6];
    LIST_ITEM_HANDLE foreign;
    VISIT visit;
    int key;
    size_t i;
    size_t n;

    CHECK(list != NULL);
    CHECK(singlylinkedlist_get_head_item(list) == NULL);
    for (i = 0; i < 6; i++)
    {
        items[i] = singlylinkedlist_add(list, &values[i]);
        CHECK(items[i] != NULL);
    }
    CHECK(singlylinkedlist_get_head_item(list) == items[0]);
    CHECK(singlylinkedlist_get_next_item(items[0]) == items[1]);
    CHECK(singlylinkedlist_get_next_item(items[5]) == NULL);
    CHECK(singlylinkedlist_item_get_value(items[2]) == &values[2]);

    key = 4;
    CHECK(singlylinkedlist_find(list, match_int, &key) == items[3]);
    key = 42;
    CHECK(singlylinkedlist_find(list, match_int, &key) == NULL);

    CHECK_INT(0, singlylinkedlist_remove(list, items[0]));             /* head */
    CHECK_INT(0, singlylinkedlist_remove(list, items[5]));             /* tail */
    CHECK(singlylinkedlist_remove(list, items[5]) != 0);               /* already gone */
    foreign = singlylinkedlist_add(other, &values[0]);
    CHECK(singlylinkedlist_remove(list, foreign) != 0);                /* another list's node */
    CHECK(singlylinkedlist_add(list, &values[5]) != NULL);             /* tail fixed up after removal */
    n = list_items(list, got, 8);
    CHECK_INT(5, n);
    CHECK(n == 5 && got[0] == 2 && got[1] == 3 && got[2] == 4 && got[3] == 5 && got[4] == 6);

    memset(&visit, 0, sizeof(visit));
    visit.stop_at = -1;
    CHECK_INT(0, singlylinkedlist_foreach(list, sum_action, &visit));
    CHECK_INT(20, visit.sum);
    CHECK_INT(5, visit.calls);
    memset(&visit, 0, sizeof(visit));
    visit.stop_at = 3;
    CHECK_INT(0, singlylinkedlist_foreach(list, sum_action, &visit));
    CHECK_INT(5, visit.sum);
    CHECK_INT(2, visit.calls);

    memset(&visit, 0, sizeof(visit));
    visit.stop_at = 4; /* removes 2 and 4, then stops */
    CHECK_INT(0, singlylinkedlist_remove_if(list, remove_even, &visit));
    CHECK_INT(3, visit.calls);
    n = list_items(list, got, 8);
    CHECK(n == 3 && got[0] == 3 && got[1] == 5 && got[2] == 6);
    memset(&visit, 0, sizeof(visit));
    visit.stop_at = -1; /* removes the tail (6) */
    CHECK_INT(0, singlylinkedlist_remove_if(list, remove_even, &visit));
    n = list_items(list, got, 8);
    CHECK(n == 2 && got[0] == 3 && got[1] == 5);
    CHECK(singlylinkedlist_add(list, &values[1]) != NULL); /* tail still right */
    n = list_items(list, got, 8);
    CHECK(n == 3 && got[2] == 2);

    CHECK(singlylinkedlist_add(NULL, &values[0]) == NULL);
    CHECK(singlylinkedlist_add(list, NULL) == NULL);
    CHECK(singlylinkedlist_remove(NULL, items[1]) != 0);
    CHECK(singlylinkedlist_remove(list, NULL) != 0);
    CHECK(singlylinkedlist_get_head_item(NULL) == NULL);
    CHECK(singlylinkedlist_get_next_item(NULL) == NULL);
    CHECK(singlylinkedlist_find(NULL, match_int, &key) == NULL);
    CHECK(singlylinkedlist_find(list, NULL, &key) == NULL);
    CHECK(singlylinkedlist_item_get_value(NULL) == NULL);
    CHECK(singlylinkedlist_remove_if(NULL, remove_even, &visit) != 0);
    CHECK(singlylinkedlist_remove_if(list, NULL, &visit) != 0);
    CHECK(singlylinkedlist_foreach(NULL, sum_action, &visit) != 0);
    CHECK(singlylinkedlist_foreach(list, NULL, &visit) != 0);
    singlylinkedlist_destroy(NULL);
    singlylinkedlist_destroy(list); /* frees the nodes that remain */
    singlylinkedlist_destroy(other);
}

typedef struct NODE_TAG
{
    int value;
    DLIST_ENTRY link;
} NODE;

/* Values of the list in forward order, checking the backward links on the way. */
static size_t dlist_values(PDLIST_ENTRY head, int* out, size_t max, int* consistent)
{
    size_t n = 0;
    PDLIST_ENTRY entry;
    *consistent = 1;
    for (entry = head->Flink; entry != head && n < max; entry = entry->Flink)
    {
        if (entry->Flink->Blink != entry)
        {
            *consistent = 0;
        }
        out[n++] = containingRecord(entry, NODE, link)->value;
    }
    if (head->Flink->Blink != head || head->Blink->Flink != head)
    {
        *consistent = 0;
    }
    return n;
}

static void test_doublylinkedlist(void)
{
    DLIST_ENTRY head;
    DLIST_ENTRY other;
    NODE nodes[6];
    int got[8];
    int ok;
    size_t n;
    int i;
    PDLIST_ENTRY removed;

    for (i = 0; i < 6; i++)
    {
        nodes[i].value = i;
    }
    DList_InitializeListHead(&head);
    CHECK(DList_IsListEmpty(&head));
    CHECK(DList_RemoveHeadList(&head) == &head);

    DList_InsertTailList(&head, &nodes[1].link);
    DList_InsertTailList(&head, &nodes[2].link);
    DList_InsertHeadList(&head, &nodes[0].link);
    CHECK(!DList_IsListEmpty(&head));
    n = dlist_values(&head, got, 8, &ok);
    CHECK(ok && n == 3 && got[0] == 0 && got[1] == 1 && got[2] == 2);
    CHECK(containingRecord(head.Blink, NODE, link) == &nodes[2]);

    /* a ring without a separate head: nodes[3] and the entries after it are appended */
    DList_InitializeListHead(&nodes[3].link);
    DList_InsertTailList(&nodes[3].link, &nodes[4].link);
    DList_AppendTailList(&head, &nodes[3].link);
    n = dlist_values(&head, got, 8, &ok);
    CHECK(ok && n == 5 && got[3] == 3 && got[4] == 4);

    /* moving the entries of a headed list, as documented in the header */
    DList_InitializeListHead(&other);
    DList_InsertTailList(&other, &nodes[5].link);
    {
        PDLIST_ENTRY first = other.Flink;
        (void)DList_RemoveEntryList(&other);
        DList_AppendTailList(&head, first);
        DList_InitializeListHead(&other);
    }
    n = dlist_values(&head, got, 8, &ok);
    CHECK(ok && n == 6 && got[5] == 5);
    CHECK(DList_IsListEmpty(&other));
    CHECK_INT(0, DList_RemoveEntryList(&nodes[5].link));

    CHECK_INT(0, DList_RemoveEntryList(&nodes[2].link));
    removed = DList_RemoveHeadList(&head);
    CHECK(removed == &nodes[0].link);
    n = dlist_values(&head, got, 8, &ok);
    CHECK(ok && n == 3 && got[0] == 1 && got[1] == 3 && got[2] == 4);
    CHECK_INT(0, DList_RemoveEntryList(&nodes[4].link));
    CHECK_INT(0, DList_RemoveEntryList(&nodes[1].link));
    CHECK(DList_RemoveEntryList(&nodes[3].link) != 0); /* the last one: list now empty */
    CHECK(DList_IsListEmpty(&head));

    /* NULL arguments are ignored */
    DList_InitializeListHead(NULL);
    CHECK(DList_IsListEmpty(NULL));
    DList_InsertTailList(NULL, &nodes[5].link);
    DList_InsertTailList(&head, NULL);
    DList_InsertHeadList(NULL, &nodes[5].link);
    DList_InsertHeadList(&head, NULL);
    DList_AppendTailList(NULL, &nodes[5].link);
    DList_AppendTailList(&head, NULL);
    CHECK_INT(0, DList_RemoveEntryList(NULL));
    CHECK(DList_RemoveHeadList(NULL) == NULL);
    CHECK(DList_IsListEmpty(&head));
}

int main(void)
{
    TEST_RUN(test_vector_basics);
    TEST_RUN(test_vector_erase_clear_move);
    TEST_RUN(test_singlylinkedlist);
    TEST_RUN(test_doublylinkedlist);
    return test_summary("test_util_containers");
}
