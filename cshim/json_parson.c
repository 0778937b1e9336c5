/*
 * json_parson.c - original implementation of the parson JSON API exported by libgateway.so.
 *
 * Written from the API contract in include/parson.h (which documents behaviour and ownership).
 * Design:
 * - A JSON_Value is a tagged union; objects and arrays live in separately allocated structs whose
 *   addresses stay stable while the value lives, and which point back to their wrapping value.
 *   Every child value points to its parent value, which lets json_value_free walk the tree without
 *   recursion and lets the setters reject values that are already owned or would create a cycle.
 * - Objects keep members in insertion order in a plain array; from JSON_INDEX_MIN members on they
 *   also keep an open-addressing hash index (positions + 1), so parsing objects with many members
 *   (duplicate detection) stays linear. The index is an optimisation only: if it cannot be
 *   allocated it is dropped and lookups scan the array.
 * - Strings are stored with their length and a terminating NUL, so \u0000 survives a round trip.
 * - Parsing, copying, comparing, validating and serializing recurse at most JSON_MAX_NESTING levels.
 * - All memory comes from the installed allocation functions; there is no realloc hook, so growth
 *   is malloc + copy + free.
 */
#include <float.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parson.h"

#define JSON_MAX_NESTING 2048
#define JSON_INDEX_MIN 8
#define JSON_FORMAT_MAX 128
#define JSON_NOT_FOUND SIZE_MAX
#define JSON_MAX_SAFE_INTEGER 9007199254740992.0 /* 2^53 */
#define JSON_EQUALS_EPSILON 0.000001

/* ---------------------------------------------------------------------------------------------- */
/* Types                                                                                          */

typedef struct {
    char *name;      /* owned, NUL-terminated, no embedded NUL */
    size_t name_len; /* strlen(name) */
    size_t hash;     /* json_hash(name, name_len) */
    JSON_Value *value;
} json_member;

struct json_object_t {
    JSON_Value *wrapper;
    json_member *members;
    size_t count;
    size_t capacity;
    size_t *slots;     /* hash index: member position + 1, 0 = empty slot; NULL when absent */
    size_t slot_count; /* power of two, at least 2 * count when slots != NULL */
};

struct json_array_t {
    JSON_Value *wrapper;
    JSON_Value **items;
    size_t count;
    size_t capacity;
};

struct json_value_t {
    JSON_Value *parent;
    JSON_Value_Type type;
    union {
        struct {
            char *chars; /* owned, len bytes + NUL */
            size_t len;
        } string;
        double number;
        int boolean;
        JSON_Object *object;
        JSON_Array *array;
    } u;
};

/* ---------------------------------------------------------------------------------------------- */
/* Global settings                                                                                */

static JSON_Malloc_Function json_malloc_fn = malloc;
static JSON_Free_Function json_free_fn = free;
static int json_escape_slashes_flag = 1;
static char json_float_format[JSON_FORMAT_MAX]; /* empty string: default number format */

GATEWAY_EXPORT void json_set_allocation_functions(JSON_Malloc_Function malloc_fun, JSON_Free_Function free_fun)
{
    json_malloc_fn = malloc_fun != NULL ? malloc_fun : malloc;
    json_free_fn = free_fun != NULL ? free_fun : free;
}

GATEWAY_EXPORT void json_set_escape_slashes(int escape_slashes)
{
    json_escape_slashes_flag = escape_slashes != 0;
}

GATEWAY_EXPORT void json_set_float_serialization_format(const char *format)
{
    size_t n;
    if (format == NULL) {
        json_float_format[0] = '\0';
        return;
    }
    n = strlen(format);
    if (n >= JSON_FORMAT_MAX) {
        return;
    }
    memcpy(json_float_format, format, n + 1);
}

/* ---------------------------------------------------------------------------------------------- */
/* Memory helpers                                                                                 */

static void *json_alloc(size_t size)
{
    return json_malloc_fn(size == 0 ? 1 : size);
}

static void json_dealloc(void *ptr)
{
    if (ptr != NULL) {
        json_free_fn(ptr);
    }
}

/* Allocates a copy of n bytes plus a NUL terminator. */
static char *json_strndup(const char *s, size_t n)
{
    char *copy;
    if (n == SIZE_MAX) {
        return NULL;
    }
    copy = (char *)json_alloc(n + 1);
    if (copy == NULL) {
        return NULL;
    }
    if (n > 0) {
        memcpy(copy, s, n);
    }
    copy[n] = '\0';
    return copy;
}

/* Ensures room for `wanted` elements of size elem in the array at items (count in use, *capacity
 * allocated). Stores the (possibly new) array in *out and returns 1; returns 0 on failure, leaving
 * the array untouched. */
static int json_reserve(void *items, size_t *capacity, size_t count, size_t elem, size_t wanted, void **out)
{
    size_t new_capacity;
    void *grown;
    *out = items;
    if (wanted <= *capacity) {
        return 1;
    }
    new_capacity = *capacity < 4 ? 4 : *capacity;
    while (new_capacity < wanted) {
        if (new_capacity > SIZE_MAX / 2) {
            return 0;
        }
        new_capacity *= 2;
    }
    if (new_capacity > SIZE_MAX / elem) {
        return 0;
    }
    grown = json_alloc(new_capacity * elem);
    if (grown == NULL) {
        return 0;
    }
    if (count > 0) {
        memcpy(grown, items, count * elem);
    }
    json_dealloc(items);
    *out = grown;
    *capacity = new_capacity;
    return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* UTF-8 and numbers                                                                              */

static int json_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned int c = s[i];
        size_t need;
        size_t k;
        unsigned int lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c == 0xE0) {
            need = 2;
            lo = 0xA0; /* no overlong forms */
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            need = 2;
        } else if (c == 0xED) {
            need = 2;
            hi = 0x9F; /* no UTF-16 surrogates */
        } else if (c == 0xF0) {
            need = 3;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            need = 3;
        } else if (c == 0xF4) {
            need = 3;
            hi = 0x8F; /* nothing above U+10FFFF */
        } else {
            return 0;
        }
        if (len - i - 1 < need) {
            return 0;
        }
        if (s[i + 1] < lo || s[i + 1] > hi) {
            return 0;
        }
        for (k = 2; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        i += need + 1;
    }
    return 1;
}

/* Writes code point cp (not a surrogate, at most U+10FFFF) as UTF-8; returns the byte count. */
static size_t json_utf8_encode(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int json_is_finite(double d)
{
    return d == d && d <= DBL_MAX && d >= -DBL_MAX;
}

static const char *json_locale_decimal_point(void)
{
    const struct lconv *lc = localeconv();
    if (lc == NULL || lc->decimal_point == NULL || lc->decimal_point[0] == '\0') {
        return ".";
    }
    return lc->decimal_point;
}

/* ---------------------------------------------------------------------------------------------- */
/* Values                                                                                         */

static JSON_Value *value_alloc(JSON_Value_Type type)
{
    JSON_Value *v = (JSON_Value *)json_alloc(sizeof(JSON_Value));
    if (v == NULL) {
        return NULL;
    }
    memset(v, 0, sizeof(JSON_Value));
    v->parent = NULL;
    v->type = type;
    return v;
}

/* Frees one node and what it owns directly (not its children). */
static void value_free_node(JSON_Value *v)
{
    switch (v->type) {
    case JSONString:
        json_dealloc(v->u.string.chars);
        break;
    case JSONObject:
        json_dealloc(v->u.object->members);
        json_dealloc(v->u.object->slots);
        json_dealloc(v->u.object);
        break;
    case JSONArray:
        json_dealloc(v->u.array->items);
        json_dealloc(v->u.array);
        break;
    default:
        break;
    }
    json_dealloc(v);
}

/* Frees root and its whole subtree without recursion: repeatedly detaches the last child of the
 * current container and descends into it; a leaf (or emptied container) is freed and the walk
 * continues at its parent. Does not touch root's parent. */
static void value_free_tree(JSON_Value *root)
{
    JSON_Value *cur = root;
    while (cur != NULL) {
        JSON_Value *next;
        if (cur->type == JSONObject && cur->u.object->count > 0) {
            JSON_Object *o = cur->u.object;
            json_member *m = &o->members[o->count - 1];
            o->count--;
            json_dealloc(m->name);
            cur = m->value;
            continue;
        }
        if (cur->type == JSONArray && cur->u.array->count > 0) {
            JSON_Array *a = cur->u.array;
            a->count--;
            cur = a->items[a->count];
            continue;
        }
        next = cur == root ? NULL : cur->parent;
        value_free_node(cur);
        cur = next;
    }
}

static JSON_Value *value_new_string_owned(char *chars, size_t len)
{
    JSON_Value *v = value_alloc(JSONString);
    if (v == NULL) {
        return NULL;
    }
    v->u.string.chars = chars;
    v->u.string.len = len;
    return v;
}

/* A container may adopt value only if value is parentless and is not the container itself or one
 * of its ancestors (which would create a cycle). */
static int value_can_adopt(const JSON_Value *container, const JSON_Value *value)
{
    const JSON_Value *p;
    if (value == NULL || value->parent != NULL) {
        return 0;
    }
    for (p = container; p != NULL; p = p->parent) {
        if (p == value) {
            return 0;
        }
    }
    return 1;
}

/* ---------------------------------------------------------------------------------------------- */
/* Objects                                                                                        */

static size_t json_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return (size_t)(h ^ (h >> 32));
}

static void object_index_insert(JSON_Object *o, size_t pos)
{
    size_t mask = o->slot_count - 1;
    size_t i = o->members[pos].hash & mask;
    while (o->slots[i] != 0) {
        i = (i + 1) & mask;
    }
    o->slots[i] = pos + 1;
}

static void object_index_drop(JSON_Object *o)
{
    json_dealloc(o->slots);
    o->slots = NULL;
    o->slot_count = 0;
}

/* Refills the existing index from the member array (same size). */
static void object_index_refill(JSON_Object *o)
{
    size_t i;
    memset(o->slots, 0, o->slot_count * sizeof(size_t));
    for (i = 0; i < o->count; i++) {
        object_index_insert(o, i);
    }
}

/* (Re)builds the index with at least 2 * count slots; drops it if memory is short. */
static void object_index_build(JSON_Object *o)
{
    size_t wanted = 16;
    size_t *slots;
    while (wanted < o->count * 2) {
        if (wanted > SIZE_MAX / (4 * sizeof(size_t))) {
            object_index_drop(o);
            return;
        }
        wanted *= 2;
    }
    if (o->slots == NULL || o->slot_count != wanted) {
        slots = (size_t *)json_alloc(wanted * sizeof(size_t));
        if (slots == NULL) {
            object_index_drop(o);
            return;
        }
        json_dealloc(o->slots);
        o->slots = slots;
        o->slot_count = wanted;
    }
    object_index_refill(o);
}

static size_t object_find(const JSON_Object *o, const char *name, size_t len, size_t hash)
{
    size_t i;
    if (o->slots != NULL) {
        size_t mask = o->slot_count - 1;
        for (i = hash & mask; o->slots[i] != 0; i = (i + 1) & mask) {
            const json_member *m = &o->members[o->slots[i] - 1];
            if (m->hash == hash && m->name_len == len && memcmp(m->name, name, len) == 0) {
                return o->slots[i] - 1;
            }
        }
        return JSON_NOT_FOUND;
    }
    for (i = 0; i < o->count; i++) {
        const json_member *m = &o->members[i];
        if (m->hash == hash && m->name_len == len && memcmp(m->name, name, len) == 0) {
            return i;
        }
    }
    return JSON_NOT_FOUND;
}

static JSON_Value *object_get_n(const JSON_Object *o, const char *name, size_t len)
{
    size_t pos;
    if (o == NULL || name == NULL) {
        return NULL;
    }
    pos = object_find(o, name, len, json_hash(name, len));
    return pos == JSON_NOT_FOUND ? NULL : o->members[pos].value;
}

/* Appends a member whose name is known to be absent. Takes ownership of name and value on success
 * only. */
static int object_append(JSON_Object *o, char *name, size_t name_len, size_t hash, JSON_Value *value)
{
    json_member *m;
    void *grown;
    if (o->count == SIZE_MAX ||
        !json_reserve(o->members, &o->capacity, o->count, sizeof(json_member), o->count + 1, &grown)) {
        return 0;
    }
    o->members = (json_member *)grown;
    m = &o->members[o->count];
    m->name = name;
    m->name_len = name_len;
    m->hash = hash;
    m->value = value;
    o->count++;
    value->parent = o->wrapper;
    if (o->slots != NULL) {
        if (o->count * 2 > o->slot_count) {
            object_index_build(o);
        } else {
            object_index_insert(o, o->count - 1);
        }
    } else if (o->count >= JSON_INDEX_MIN) {
        object_index_build(o);
    }
    return 1;
}

/* Removes the member at pos keeping the order of the others; frees its value when free_value. */
static void object_remove_at(JSON_Object *o, size_t pos, int free_value)
{
    json_member removed = o->members[pos];
    if (pos + 1 < o->count) {
        memmove(&o->members[pos], &o->members[pos + 1], (o->count - pos - 1) * sizeof(json_member));
    }
    o->count--;
    if (o->slots != NULL) {
        object_index_refill(o);
    }
    json_dealloc(removed.name);
    if (free_value) {
        value_free_tree(removed.value);
    } else {
        removed.value->parent = NULL;
    }
}

static JSON_Status object_set(JSON_Object *o, const char *name, JSON_Value *value)
{
    size_t len, hash, pos;
    char *copy;
    if (o == NULL || name == NULL || value == NULL) {
        return JSONFailure;
    }
    len = strlen(name);
    if (!json_utf8_valid(name, len) || !value_can_adopt(o->wrapper, value)) {
        return JSONFailure;
    }
    hash = json_hash(name, len);
    pos = object_find(o, name, len, hash);
    if (pos != JSON_NOT_FOUND) {
        JSON_Value *old = o->members[pos].value;
        o->members[pos].value = value;
        value->parent = o->wrapper;
        value_free_tree(old);
        return JSONSuccess;
    }
    copy = json_strndup(name, len);
    if (copy == NULL) {
        return JSONFailure;
    }
    if (!object_append(o, copy, len, hash, value)) {
        json_dealloc(copy);
        return JSONFailure;
    }
    return JSONSuccess;
}

/* Walks "a.b.c" to the object holding the last segment; returns it and the last segment. */
static const JSON_Object *object_walk(const JSON_Object *o, const char *name, const char **last)
{
    const char *dot;
    if (o == NULL || name == NULL) {
        return NULL;
    }
    while ((dot = strchr(name, '.')) != NULL) {
        o = json_value_get_object(object_get_n(o, name, (size_t)(dot - name)));
        if (o == NULL) {
            return NULL;
        }
        name = dot + 1;
    }
    *last = name;
    return o;
}

/* ---------------------------------------------------------------------------------------------- */
/* Arrays                                                                                         */

static int array_append(JSON_Array *a, JSON_Value *value)
{
    void *grown;
    if (a->count == SIZE_MAX ||
        !json_reserve(a->items, &a->capacity, a->count, sizeof(JSON_Value *), a->count + 1, &grown)) {
        return 0;
    }
    a->items = (JSON_Value **)grown;
    a->items[a->count++] = value;
    value->parent = a->wrapper;
    return 1;
}

static void array_remove_at(JSON_Array *a, size_t i, int free_value)
{
    JSON_Value *removed = a->items[i];
    if (i + 1 < a->count) {
        memmove(&a->items[i], &a->items[i + 1], (a->count - i - 1) * sizeof(JSON_Value *));
    }
    a->count--;
    if (free_value) {
        value_free_tree(removed);
    } else {
        removed->parent = NULL;
    }
}

/* Removes v from its parent container without freeing it. */
static void value_detach(JSON_Value *v)
{
    JSON_Value *p = v->parent;
    size_t i;
    if (p == NULL) {
        return;
    }
    if (p->type == JSONObject) {
        JSON_Object *o = p->u.object;
        for (i = 0; i < o->count; i++) {
            if (o->members[i].value == v) {
                object_remove_at(o, i, 0);
                return;
            }
        }
    } else if (p->type == JSONArray) {
        JSON_Array *a = p->u.array;
        for (i = 0; i < a->count; i++) {
            if (a->items[i] == v) {
                array_remove_at(a, i, 0);
                return;
            }
        }
    }
    v->parent = NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* Value construction and access                                                                  */

GATEWAY_EXPORT JSON_Value *json_value_init_object(void)
{
    JSON_Value *v = value_alloc(JSONObject);
    JSON_Object *o;
    if (v == NULL) {
        return NULL;
    }
    o = (JSON_Object *)json_alloc(sizeof(JSON_Object));
    if (o == NULL) {
        json_dealloc(v);
        return NULL;
    }
    memset(o, 0, sizeof(JSON_Object));
    o->wrapper = v;
    o->members = NULL;
    o->slots = NULL;
    v->u.object = o;
    return v;
}

GATEWAY_EXPORT JSON_Value *json_value_init_array(void)
{
    JSON_Value *v = value_alloc(JSONArray);
    JSON_Array *a;
    if (v == NULL) {
        return NULL;
    }
    a = (JSON_Array *)json_alloc(sizeof(JSON_Array));
    if (a == NULL) {
        json_dealloc(v);
        return NULL;
    }
    memset(a, 0, sizeof(JSON_Array));
    a->wrapper = v;
    a->items = NULL;
    v->u.array = a;
    return v;
}

GATEWAY_EXPORT JSON_Value *json_value_init_string_with_len(const char *string, size_t length)
{
    char *copy;
    JSON_Value *v;
    if (string == NULL || !json_utf8_valid(string, length)) {
        return NULL;
    }
    copy = json_strndup(string, length);
    if (copy == NULL) {
        return NULL;
    }
    v = value_new_string_owned(copy, length);
    if (v == NULL) {
        json_dealloc(copy);
    }
    return v;
}

GATEWAY_EXPORT JSON_Value *json_value_init_string(const char *string)
{
    if (string == NULL) {
        return NULL;
    }
    return json_value_init_string_with_len(string, strlen(string));
}

GATEWAY_EXPORT JSON_Value *json_value_init_number(double number)
{
    JSON_Value *v;
    if (!json_is_finite(number)) {
        return NULL;
    }
    v = value_alloc(JSONNumber);
    if (v != NULL) {
        v->u.number = number;
    }
    return v;
}

GATEWAY_EXPORT JSON_Value *json_value_init_boolean(int boolean)
{
    JSON_Value *v = value_alloc(JSONBoolean);
    if (v != NULL) {
        v->u.boolean = boolean != 0;
    }
    return v;
}

GATEWAY_EXPORT JSON_Value *json_value_init_null(void)
{
    return value_alloc(JSONNull);
}

static JSON_Value *value_copy(const JSON_Value *v, size_t depth)
{
    JSON_Value *copy = NULL;
    void *grown;
    size_t i;
    switch (v->type) {
    case JSONObject: {
        const JSON_Object *src = v->u.object;
        JSON_Object *dst;
        if (depth >= JSON_MAX_NESTING) {
            return NULL;
        }
        copy = json_value_init_object();
        if (copy == NULL) {
            return NULL;
        }
        dst = copy->u.object;
        if (!json_reserve(dst->members, &dst->capacity, 0, sizeof(json_member), src->count, &grown)) {
            value_free_tree(copy);
            return NULL;
        }
        dst->members = (json_member *)grown;
        for (i = 0; i < src->count; i++) {
            const json_member *m = &src->members[i];
            JSON_Value *child = value_copy(m->value, depth + 1);
            char *name = child != NULL ? json_strndup(m->name, m->name_len) : NULL;
            if (name == NULL || !object_append(dst, name, m->name_len, m->hash, child)) {
                json_dealloc(name);
                if (child != NULL) {
                    value_free_tree(child);
                }
                value_free_tree(copy);
                return NULL;
            }
        }
        return copy;
    }
    case JSONArray: {
        const JSON_Array *src = v->u.array;
        JSON_Array *dst;
        if (depth >= JSON_MAX_NESTING) {
            return NULL;
        }
        copy = json_value_init_array();
        if (copy == NULL) {
            return NULL;
        }
        dst = copy->u.array;
        if (!json_reserve(dst->items, &dst->capacity, 0, sizeof(JSON_Value *), src->count, &grown)) {
            value_free_tree(copy);
            return NULL;
        }
        dst->items = (JSON_Value **)grown;
        for (i = 0; i < src->count; i++) {
            JSON_Value *child = value_copy(src->items[i], depth + 1);
            if (child == NULL || !array_append(dst, child)) {
                if (child != NULL) {
                    value_free_tree(child);
                }
                value_free_tree(copy);
                return NULL;
            }
        }
        return copy;
    }
    case JSONString: {
        char *chars = json_strndup(v->u.string.chars, v->u.string.len);
        if (chars == NULL) {
            return NULL;
        }
        copy = value_new_string_owned(chars, v->u.string.len);
        if (copy == NULL) {
            json_dealloc(chars);
        }
        return copy;
    }
    case JSONNumber:
        return json_value_init_number(v->u.number);
    case JSONBoolean:
        return json_value_init_boolean(v->u.boolean);
    case JSONNull:
        return json_value_init_null();
    default:
        return NULL;
    }
}

GATEWAY_EXPORT JSON_Value *json_value_deep_copy(const JSON_Value *value)
{
    if (value == NULL) {
        return NULL;
    }
    return value_copy(value, 0);
}

GATEWAY_EXPORT void json_value_free(JSON_Value *value)
{
    if (value == NULL) {
        return;
    }
    value_detach(value);
    value_free_tree(value);
}

GATEWAY_EXPORT JSON_Value_Type json_value_get_type(const JSON_Value *value)
{
    return value != NULL ? value->type : JSONError;
}

GATEWAY_EXPORT JSON_Object *json_value_get_object(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONObject ? value->u.object : NULL;
}

GATEWAY_EXPORT JSON_Array *json_value_get_array(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONArray ? value->u.array : NULL;
}

GATEWAY_EXPORT const char *json_value_get_string(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONString ? value->u.string.chars : NULL;
}

GATEWAY_EXPORT size_t json_value_get_string_len(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONString ? value->u.string.len : 0;
}

GATEWAY_EXPORT double json_value_get_number(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONNumber ? value->u.number : 0;
}

GATEWAY_EXPORT int json_value_get_boolean(const JSON_Value *value)
{
    return json_value_get_type(value) == JSONBoolean ? value->u.boolean : -1;
}

GATEWAY_EXPORT JSON_Value *json_value_get_parent(const JSON_Value *value)
{
    return value != NULL ? value->parent : NULL;
}

GATEWAY_EXPORT JSON_Value_Type json_type(const JSON_Value *value)
{
    return json_value_get_type(value);
}

GATEWAY_EXPORT JSON_Object *json_object(const JSON_Value *value)
{
    return json_value_get_object(value);
}

GATEWAY_EXPORT JSON_Array *json_array(const JSON_Value *value)
{
    return json_value_get_array(value);
}

GATEWAY_EXPORT const char *json_string(const JSON_Value *value)
{
    return json_value_get_string(value);
}

GATEWAY_EXPORT size_t json_string_len(const JSON_Value *value)
{
    return json_value_get_string_len(value);
}

GATEWAY_EXPORT double json_number(const JSON_Value *value)
{
    return json_value_get_number(value);
}

GATEWAY_EXPORT int json_boolean(const JSON_Value *value)
{
    return json_value_get_boolean(value);
}

/* ---------------------------------------------------------------------------------------------- */
/* Object API                                                                                     */

GATEWAY_EXPORT JSON_Value *json_object_get_value(const JSON_Object *object, const char *name)
{
    if (object == NULL || name == NULL) {
        return NULL;
    }
    return object_get_n(object, name, strlen(name));
}

GATEWAY_EXPORT const char *json_object_get_string(const JSON_Object *object, const char *name)
{
    return json_value_get_string(json_object_get_value(object, name));
}

GATEWAY_EXPORT size_t json_object_get_string_len(const JSON_Object *object, const char *name)
{
    return json_value_get_string_len(json_object_get_value(object, name));
}

GATEWAY_EXPORT JSON_Object *json_object_get_object(const JSON_Object *object, const char *name)
{
    return json_value_get_object(json_object_get_value(object, name));
}

GATEWAY_EXPORT JSON_Array *json_object_get_array(const JSON_Object *object, const char *name)
{
    return json_value_get_array(json_object_get_value(object, name));
}

GATEWAY_EXPORT double json_object_get_number(const JSON_Object *object, const char *name)
{
    return json_value_get_number(json_object_get_value(object, name));
}

GATEWAY_EXPORT int json_object_get_boolean(const JSON_Object *object, const char *name)
{
    return json_value_get_boolean(json_object_get_value(object, name));
}

GATEWAY_EXPORT JSON_Value *json_object_dotget_value(const JSON_Object *object, const char *name)
{
    const char *last = NULL;
    const JSON_Object *holder = object_walk(object, name, &last);
    return holder != NULL ? json_object_get_value(holder, last) : NULL;
}

GATEWAY_EXPORT const char *json_object_dotget_string(const JSON_Object *object, const char *name)
{
    return json_value_get_string(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT size_t json_object_dotget_string_len(const JSON_Object *object, const char *name)
{
    return json_value_get_string_len(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT JSON_Object *json_object_dotget_object(const JSON_Object *object, const char *name)
{
    return json_value_get_object(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT JSON_Array *json_object_dotget_array(const JSON_Object *object, const char *name)
{
    return json_value_get_array(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT double json_object_dotget_number(const JSON_Object *object, const char *name)
{
    return json_value_get_number(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT int json_object_dotget_boolean(const JSON_Object *object, const char *name)
{
    return json_value_get_boolean(json_object_dotget_value(object, name));
}

GATEWAY_EXPORT size_t json_object_get_count(const JSON_Object *object)
{
    return object != NULL ? object->count : 0;
}

GATEWAY_EXPORT const char *json_object_get_name(const JSON_Object *object, size_t index)
{
    if (object == NULL || index >= object->count) {
        return NULL;
    }
    return object->members[index].name;
}

GATEWAY_EXPORT JSON_Value *json_object_get_value_at(const JSON_Object *object, size_t index)
{
    if (object == NULL || index >= object->count) {
        return NULL;
    }
    return object->members[index].value;
}

GATEWAY_EXPORT JSON_Value *json_object_get_wrapping_value(const JSON_Object *object)
{
    return object != NULL ? object->wrapper : NULL;
}

GATEWAY_EXPORT int json_object_has_value(const JSON_Object *object, const char *name)
{
    return json_object_get_value(object, name) != NULL;
}

GATEWAY_EXPORT int json_object_has_value_of_type(const JSON_Object *object, const char *name, JSON_Value_Type type)
{
    JSON_Value *v = json_object_get_value(object, name);
    return v != NULL && v->type == type;
}

GATEWAY_EXPORT int json_object_dothas_value(const JSON_Object *object, const char *name)
{
    return json_object_dotget_value(object, name) != NULL;
}

GATEWAY_EXPORT int json_object_dothas_value_of_type(const JSON_Object *object, const char *name, JSON_Value_Type type)
{
    JSON_Value *v = json_object_dotget_value(object, name);
    return v != NULL && v->type == type;
}

GATEWAY_EXPORT JSON_Status json_object_set_value(JSON_Object *object, const char *name, JSON_Value *value)
{
    return object_set(object, name, value);
}

/* Sets a freshly created value (NULL if creation failed); frees it if the set fails. */
static JSON_Status object_set_new(JSON_Object *object, const char *name, JSON_Value *value, int dotted)
{
    JSON_Status status;
    if (value == NULL) {
        return JSONFailure;
    }
    status = dotted ? json_object_dotset_value(object, name, value) : object_set(object, name, value);
    if (status != JSONSuccess) {
        value_free_tree(value);
    }
    return status;
}

GATEWAY_EXPORT JSON_Status json_object_set_string(JSON_Object *object, const char *name, const char *string)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_string(string), 0);
}

GATEWAY_EXPORT JSON_Status json_object_set_string_with_len(JSON_Object *object, const char *name, const char *string, size_t len)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_string_with_len(string, len), 0);
}

GATEWAY_EXPORT JSON_Status json_object_set_number(JSON_Object *object, const char *name, double number)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_number(number), 0);
}

GATEWAY_EXPORT JSON_Status json_object_set_boolean(JSON_Object *object, const char *name, int boolean)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_boolean(boolean), 0);
}

GATEWAY_EXPORT JSON_Status json_object_set_null(JSON_Object *object, const char *name)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_null(), 0);
}

GATEWAY_EXPORT JSON_Status json_object_dotset_value(JSON_Object *object, const char *name, JSON_Value *value)
{
    JSON_Object *cur = object;
    JSON_Object *created_in = NULL;
    JSON_Value *created = NULL;
    const char *segment = name;
    const char *dot;
    size_t i;
    if (object == NULL || name == NULL || value == NULL) {
        return JSONFailure;
    }
    if (!json_utf8_valid(name, strlen(name)) || !value_can_adopt(object->wrapper, value)) {
        return JSONFailure;
    }
    while ((dot = strchr(segment, '.')) != NULL) {
        size_t len = (size_t)(dot - segment);
        size_t hash = json_hash(segment, len);
        size_t pos = object_find(cur, segment, len, hash);
        if (pos != JSON_NOT_FOUND) {
            JSON_Value *child = cur->members[pos].value;
            if (child->type != JSONObject) {
                goto fail;
            }
            cur = child->u.object;
        } else {
            JSON_Value *child = json_value_init_object();
            char *key = child != NULL ? json_strndup(segment, len) : NULL;
            if (key == NULL || !object_append(cur, key, len, hash, child)) {
                json_dealloc(key);
                if (child != NULL) {
                    value_free_tree(child);
                }
                goto fail;
            }
            if (created == NULL) {
                created_in = cur;
                created = child;
            }
            cur = child->u.object;
        }
        segment = dot + 1;
    }
    if (object_set(cur, segment, value) == JSONSuccess) {
        return JSONSuccess;
    }
fail:
    /* Undo: remove the first intermediate object this call created (and what hangs below it). */
    if (created != NULL) {
        for (i = 0; i < created_in->count; i++) {
            if (created_in->members[i].value == created) {
                object_remove_at(created_in, i, 1);
                break;
            }
        }
    }
    return JSONFailure;
}

GATEWAY_EXPORT JSON_Status json_object_dotset_string(JSON_Object *object, const char *name, const char *string)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_string(string), 1);
}

GATEWAY_EXPORT JSON_Status json_object_dotset_string_with_len(JSON_Object *object, const char *name, const char *string, size_t len)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_string_with_len(string, len), 1);
}

GATEWAY_EXPORT JSON_Status json_object_dotset_number(JSON_Object *object, const char *name, double number)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_number(number), 1);
}

GATEWAY_EXPORT JSON_Status json_object_dotset_boolean(JSON_Object *object, const char *name, int boolean)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_boolean(boolean), 1);
}

GATEWAY_EXPORT JSON_Status json_object_dotset_null(JSON_Object *object, const char *name)
{
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    return object_set_new(object, name, json_value_init_null(), 1);
}

GATEWAY_EXPORT JSON_Status json_object_remove(JSON_Object *object, const char *name)
{
    size_t len, pos;
    if (object == NULL || name == NULL) {
        return JSONFailure;
    }
    len = strlen(name);
    pos = object_find(object, name, len, json_hash(name, len));
    if (pos == JSON_NOT_FOUND) {
        return JSONFailure;
    }
    object_remove_at(object, pos, 1);
    return JSONSuccess;
}

GATEWAY_EXPORT JSON_Status json_object_dotremove(JSON_Object *object, const char *name)
{
    const char *last = NULL;
    const JSON_Object *holder = object_walk(object, name, &last);
    if (holder == NULL) {
        return JSONFailure;
    }
    /* holder is a sub-object of the (mutable) object passed in. */
    return json_object_remove((JSON_Object *)(uintptr_t)holder, last);
}

GATEWAY_EXPORT JSON_Status json_object_clear(JSON_Object *object)
{
    size_t i;
    if (object == NULL) {
        return JSONFailure;
    }
    for (i = 0; i < object->count; i++) {
        json_dealloc(object->members[i].name);
        value_free_tree(object->members[i].value);
    }
    object->count = 0;
    object_index_drop(object);
    return JSONSuccess;
}

/* ---------------------------------------------------------------------------------------------- */
/* Array API                                                                                      */

GATEWAY_EXPORT JSON_Value *json_array_get_value(const JSON_Array *array, size_t index)
{
    if (array == NULL || index >= array->count) {
        return NULL;
    }
    return array->items[index];
}

GATEWAY_EXPORT const char *json_array_get_string(const JSON_Array *array, size_t index)
{
    return json_value_get_string(json_array_get_value(array, index));
}

GATEWAY_EXPORT size_t json_array_get_string_len(const JSON_Array *array, size_t index)
{
    return json_value_get_string_len(json_array_get_value(array, index));
}

GATEWAY_EXPORT JSON_Object *json_array_get_object(const JSON_Array *array, size_t index)
{
    return json_value_get_object(json_array_get_value(array, index));
}

GATEWAY_EXPORT JSON_Array *json_array_get_array(const JSON_Array *array, size_t index)
{
    return json_value_get_array(json_array_get_value(array, index));
}

GATEWAY_EXPORT double json_array_get_number(const JSON_Array *array, size_t index)
{
    return json_value_get_number(json_array_get_value(array, index));
}

GATEWAY_EXPORT int json_array_get_boolean(const JSON_Array *array, size_t index)
{
    return json_value_get_boolean(json_array_get_value(array, index));
}

GATEWAY_EXPORT size_t json_array_get_count(const JSON_Array *array)
{
    return array != NULL ? array->count : 0;
}

GATEWAY_EXPORT JSON_Value *json_array_get_wrapping_value(const JSON_Array *array)
{
    return array != NULL ? array->wrapper : NULL;
}

GATEWAY_EXPORT JSON_Status json_array_remove(JSON_Array *array, size_t i)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    array_remove_at(array, i, 1);
    return JSONSuccess;
}

GATEWAY_EXPORT JSON_Status json_array_replace_value(JSON_Array *array, size_t i, JSON_Value *value)
{
    JSON_Value *old;
    if (array == NULL || i >= array->count || !value_can_adopt(array->wrapper, value)) {
        return JSONFailure;
    }
    old = array->items[i];
    array->items[i] = value;
    value->parent = array->wrapper;
    value_free_tree(old);
    return JSONSuccess;
}

static JSON_Status array_replace_new(JSON_Array *array, size_t i, JSON_Value *value)
{
    JSON_Status status;
    if (value == NULL) {
        return JSONFailure;
    }
    status = json_array_replace_value(array, i, value);
    if (status != JSONSuccess) {
        value_free_tree(value);
    }
    return status;
}

GATEWAY_EXPORT JSON_Status json_array_replace_string(JSON_Array *array, size_t i, const char *string)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    return array_replace_new(array, i, json_value_init_string(string));
}

GATEWAY_EXPORT JSON_Status json_array_replace_string_with_len(JSON_Array *array, size_t i, const char *string, size_t len)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    return array_replace_new(array, i, json_value_init_string_with_len(string, len));
}

GATEWAY_EXPORT JSON_Status json_array_replace_number(JSON_Array *array, size_t i, double number)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    return array_replace_new(array, i, json_value_init_number(number));
}

GATEWAY_EXPORT JSON_Status json_array_replace_boolean(JSON_Array *array, size_t i, int boolean)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    return array_replace_new(array, i, json_value_init_boolean(boolean));
}

GATEWAY_EXPORT JSON_Status json_array_replace_null(JSON_Array *array, size_t i)
{
    if (array == NULL || i >= array->count) {
        return JSONFailure;
    }
    return array_replace_new(array, i, json_value_init_null());
}

GATEWAY_EXPORT JSON_Status json_array_clear(JSON_Array *array)
{
    size_t i;
    if (array == NULL) {
        return JSONFailure;
    }
    for (i = 0; i < array->count; i++) {
        value_free_tree(array->items[i]);
    }
    array->count = 0;
    return JSONSuccess;
}

GATEWAY_EXPORT JSON_Status json_array_append_value(JSON_Array *array, JSON_Value *value)
{
    if (array == NULL || !value_can_adopt(array->wrapper, value)) {
        return JSONFailure;
    }
    return array_append(array, value) ? JSONSuccess : JSONFailure;
}

static JSON_Status array_append_new(JSON_Array *array, JSON_Value *value)
{
    JSON_Status status;
    if (value == NULL) {
        return JSONFailure;
    }
    status = json_array_append_value(array, value);
    if (status != JSONSuccess) {
        value_free_tree(value);
    }
    return status;
}

GATEWAY_EXPORT JSON_Status json_array_append_string(JSON_Array *array, const char *string)
{
    if (array == NULL) {
        return JSONFailure;
    }
    return array_append_new(array, json_value_init_string(string));
}

GATEWAY_EXPORT JSON_Status json_array_append_string_with_len(JSON_Array *array, const char *string, size_t len)
{
    if (array == NULL) {
        return JSONFailure;
    }
    return array_append_new(array, json_value_init_string_with_len(string, len));
}

GATEWAY_EXPORT JSON_Status json_array_append_number(JSON_Array *array, double number)
{
    if (array == NULL) {
        return JSONFailure;
    }
    return array_append_new(array, json_value_init_number(number));
}

GATEWAY_EXPORT JSON_Status json_array_append_boolean(JSON_Array *array, int boolean)
{
    if (array == NULL) {
        return JSONFailure;
    }
    return array_append_new(array, json_value_init_boolean(boolean));
}

GATEWAY_EXPORT JSON_Status json_array_append_null(JSON_Array *array)
{
    if (array == NULL) {
        return JSONFailure;
    }
    return array_append_new(array, json_value_init_null());
}

/* ---------------------------------------------------------------------------------------------- */
/* Comparison and schema validation                                                               */

static int value_equals(const JSON_Value *a, const JSON_Value *b, size_t depth)
{
    JSON_Value_Type type = json_value_get_type(a);
    size_t i;
    if (type != json_value_get_type(b)) {
        return 0;
    }
    switch (type) {
    case JSONObject: {
        const JSON_Object *oa = a->u.object, *ob = b->u.object;
        if (depth >= JSON_MAX_NESTING || oa->count != ob->count) {
            return 0;
        }
        for (i = 0; i < oa->count; i++) {
            const json_member *m = &oa->members[i];
            size_t pos = object_find(ob, m->name, m->name_len, m->hash);
            if (pos == JSON_NOT_FOUND || !value_equals(m->value, ob->members[pos].value, depth + 1)) {
                return 0;
            }
        }
        return 1;
    }
    case JSONArray: {
        const JSON_Array *aa = a->u.array, *ab = b->u.array;
        if (depth >= JSON_MAX_NESTING || aa->count != ab->count) {
            return 0;
        }
        for (i = 0; i < aa->count; i++) {
            if (!value_equals(aa->items[i], ab->items[i], depth + 1)) {
                return 0;
            }
        }
        return 1;
    }
    case JSONString:
        return a->u.string.len == b->u.string.len &&
               memcmp(a->u.string.chars, b->u.string.chars, a->u.string.len) == 0;
    case JSONNumber: {
        double diff = a->u.number - b->u.number;
        return (diff < 0 ? -diff : diff) < JSON_EQUALS_EPSILON;
    }
    case JSONBoolean:
        return a->u.boolean == b->u.boolean;
    default: /* JSONNull, and JSONError for two NULLs */
        return 1;
    }
}

GATEWAY_EXPORT int json_value_equals(const JSON_Value *a, const JSON_Value *b)
{
    return value_equals(a, b, 0);
}

static JSON_Status value_validate(const JSON_Value *schema, const JSON_Value *value, size_t depth)
{
    JSON_Value_Type schema_type = json_value_get_type(schema);
    JSON_Value_Type value_type = json_value_get_type(value);
    size_t i;
    if (schema == NULL || value == NULL) {
        return JSONFailure;
    }
    if (schema_type != value_type && schema_type != JSONNull) {
        return JSONFailure;
    }
    switch (schema_type) {
    case JSONArray: {
        const JSON_Array *sa = schema->u.array, *va = value->u.array;
        if (sa->count == 0) {
            return JSONSuccess;
        }
        if (depth >= JSON_MAX_NESTING) {
            return JSONFailure;
        }
        for (i = 0; i < va->count; i++) {
            if (value_validate(sa->items[0], va->items[i], depth + 1) != JSONSuccess) {
                return JSONFailure;
            }
        }
        return JSONSuccess;
    }
    case JSONObject: {
        const JSON_Object *so = schema->u.object, *vo = value->u.object;
        if (so->count == 0) {
            return JSONSuccess;
        }
        if (depth >= JSON_MAX_NESTING || vo->count < so->count) {
            return JSONFailure;
        }
        for (i = 0; i < so->count; i++) {
            const json_member *m = &so->members[i];
            size_t pos = object_find(vo, m->name, m->name_len, m->hash);
            if (pos == JSON_NOT_FOUND ||
                value_validate(m->value, vo->members[pos].value, depth + 1) != JSONSuccess) {
                return JSONFailure;
            }
        }
        return JSONSuccess;
    }
    case JSONString:
    case JSONNumber:
    case JSONBoolean:
    case JSONNull:
        return JSONSuccess;
    default:
        return JSONFailure;
    }
}

GATEWAY_EXPORT JSON_Status json_validate(const JSON_Value *schema, const JSON_Value *value)
{
    return value_validate(schema, value, 0);
}

/* ---------------------------------------------------------------------------------------------- */
/* Parser                                                                                         */

typedef struct {
    const char *cur;
    const char *end;
    int comments;
} json_parser;

static int json_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int json_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skips whitespace and, when enabled, comments. An unterminated block comment swallows the rest of
 * the input (so the value being parsed fails). */
static void parser_skip_space(json_parser *p)
{
    for (;;) {
        while (p->cur < p->end && json_is_space(*p->cur)) {
            p->cur++;
        }
        if (!p->comments || p->end - p->cur < 2 || p->cur[0] != '/') {
            return;
        }
        if (p->cur[1] == '*') {
            const char *q = p->cur + 2;
            while (q < p->end - 1 && !(q[0] == '*' && q[1] == '/')) {
                q++;
            }
            p->cur = q < p->end - 1 ? q + 2 : p->end;
        } else if (p->cur[1] == '/') {
            const char *nl = (const char *)memchr(p->cur + 2, '\n', (size_t)(p->end - p->cur - 2));
            p->cur = nl != NULL ? nl + 1 : p->end;
        } else {
            return;
        }
    }
}

static int parser_hex4(const char *s, const char *limit, unsigned long *out)
{
    unsigned long v = 0;
    int i;
    if (limit - s < 4) {
        return 0;
    }
    for (i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned long)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (unsigned long)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (unsigned long)(c - 'A' + 10);
        } else {
            return 0;
        }
    }
    *out = v;
    return 1;
}

/* Parses a quoted string at p->cur (which is '"'). On success *out is a new NUL-terminated buffer
 * holding *out_len decoded bytes (valid UTF-8, may contain NULs). */
static int parser_string(json_parser *p, char **out, size_t *out_len)
{
    const char *start = p->cur + 1;
    const char *q = start;
    const char *r;
    char *buf;
    size_t n = 0;
    /* Find the closing quote; every escape is at least two characters and decodes to no more bytes
     * than its source, so the raw length bounds the decoded length. */
    while (q < p->end && *q != '"') {
        if (*q == '\\') {
            if (p->end - q < 2) {
                return 0;
            }
            q += 2;
        } else if ((unsigned char)*q < 0x20) {
            return 0;
        } else {
            q++;
        }
    }
    if (q >= p->end) {
        return 0;
    }
    buf = (char *)json_alloc((size_t)(q - start) + 1);
    if (buf == NULL) {
        return 0;
    }
    r = start;
    while (r < q) {
        unsigned long cp, low;
        if (*r != '\\') {
            buf[n++] = *r++;
            continue;
        }
        r++; /* r < q: the scan above skipped the escaped character */
        switch (*r++) {
        case '"':
            buf[n++] = '"';
            break;
        case '\\':
            buf[n++] = '\\';
            break;
        case '/':
            buf[n++] = '/';
            break;
        case 'b':
            buf[n++] = '\b';
            break;
        case 'f':
            buf[n++] = '\f';
            break;
        case 'n':
            buf[n++] = '\n';
            break;
        case 'r':
            buf[n++] = '\r';
            break;
        case 't':
            buf[n++] = '\t';
            break;
        case 'u':
            if (!parser_hex4(r, q, &cp)) {
                goto fail;
            }
            r += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (q - r < 6 || r[0] != '\\' || r[1] != 'u' || !parser_hex4(r + 2, q, &low) ||
                    low < 0xDC00 || low > 0xDFFF) {
                    goto fail;
                }
                r += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                goto fail;
            }
            n += json_utf8_encode(cp, buf + n);
            break;
        default:
            goto fail;
        }
    }
    buf[n] = '\0';
    /* Escapes always produce complete sequences, so checking the whole result checks the raw bytes. */
    if (!json_utf8_valid(buf, n)) {
        goto fail;
    }
    p->cur = q + 1;
    *out = buf;
    *out_len = n;
    return 1;
fail:
    json_dealloc(buf);
    return 0;
}

static JSON_Value *parser_number(json_parser *p)
{
    const char *s = p->cur, *q = p->cur, *e = p->end;
    const char *dp = ".";
    char small[64];
    char *text = small;
    char *stop = NULL;
    size_t len, dp_len = 1, size, i, k;
    int has_point = 0;
    double d;
    if (q < e && *q == '-') {
        q++;
    }
    if (q >= e || !json_is_digit(*q)) {
        return NULL;
    }
    if (*q == '0') {
        q++;
    } else {
        while (q < e && json_is_digit(*q)) {
            q++;
        }
    }
    if (q < e && *q == '.') {
        has_point = 1;
        q++;
        if (q >= e || !json_is_digit(*q)) {
            return NULL;
        }
        while (q < e && json_is_digit(*q)) {
            q++;
        }
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < e && (*q == '+' || *q == '-')) {
            q++;
        }
        if (q >= e || !json_is_digit(*q)) {
            return NULL;
        }
        while (q < e && json_is_digit(*q)) {
            q++;
        }
    }
    /* Reject what a C number parser would read further: 07, 0x1, 1.e5, 1.2.3, 12abc ... */
    if (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || json_is_digit(*q) || *q == '.' ||
                  *q == '+' || *q == '-' || *q == '_')) {
        return NULL;
    }
    len = (size_t)(q - s);
    if (has_point) {
        dp = json_locale_decimal_point();
        dp_len = strlen(dp);
    }
    size = len + dp_len + 1;
    if (size > sizeof(small)) {
        text = (char *)json_alloc(size);
        if (text == NULL) {
            return NULL;
        }
    }
    /* strtod follows the C locale's decimal point; translate '.' to it. */
    for (i = 0, k = 0; i < len; i++) {
        if (s[i] == '.') {
            memcpy(text + k, dp, dp_len);
            k += dp_len;
        } else {
            text[k++] = s[i];
        }
    }
    text[k] = '\0';
    d = strtod(text, &stop);
    if (stop != text + k || !json_is_finite(d)) {
        if (text != small) {
            json_dealloc(text);
        }
        return NULL;
    }
    if (text != small) {
        json_dealloc(text);
    }
    p->cur = q;
    return json_value_init_number(d);
}

static int parser_literal(json_parser *p, const char *word, size_t n)
{
    if ((size_t)(p->end - p->cur) < n || memcmp(p->cur, word, n) != 0) {
        return 0;
    }
    p->cur += n;
    return 1;
}

static JSON_Value *parser_value(json_parser *p, size_t depth);

static JSON_Value *parser_object(json_parser *p, size_t depth)
{
    JSON_Value *v;
    JSON_Object *o;
    if (depth >= JSON_MAX_NESTING) {
        return NULL;
    }
    v = json_value_init_object();
    if (v == NULL) {
        return NULL;
    }
    o = v->u.object;
    p->cur++; /* '{' */
    parser_skip_space(p);
    if (p->cur < p->end && *p->cur == '}') {
        p->cur++;
        return v;
    }
    for (;;) {
        char *key = NULL;
        size_t key_len = 0, hash;
        JSON_Value *child;
        parser_skip_space(p);
        if (p->cur >= p->end || *p->cur != '"' || !parser_string(p, &key, &key_len)) {
            goto fail;
        }
        if (memchr(key, '\0', key_len) != NULL) {
            json_dealloc(key);
            goto fail;
        }
        parser_skip_space(p);
        if (p->cur >= p->end || *p->cur != ':') {
            json_dealloc(key);
            goto fail;
        }
        p->cur++;
        child = parser_value(p, depth + 1);
        if (child == NULL) {
            json_dealloc(key);
            goto fail;
        }
        hash = json_hash(key, key_len);
        if (object_find(o, key, key_len, hash) != JSON_NOT_FOUND || !object_append(o, key, key_len, hash, child)) {
            json_dealloc(key);
            value_free_tree(child);
            goto fail;
        }
        parser_skip_space(p);
        if (p->cur >= p->end) {
            goto fail;
        }
        if (*p->cur == ',') {
            p->cur++;
            continue;
        }
        if (*p->cur == '}') {
            p->cur++;
            return v;
        }
        goto fail;
    }
fail:
    value_free_tree(v);
    return NULL;
}

static JSON_Value *parser_array(json_parser *p, size_t depth)
{
    JSON_Value *v;
    JSON_Array *a;
    if (depth >= JSON_MAX_NESTING) {
        return NULL;
    }
    v = json_value_init_array();
    if (v == NULL) {
        return NULL;
    }
    a = v->u.array;
    p->cur++; /* '[' */
    parser_skip_space(p);
    if (p->cur < p->end && *p->cur == ']') {
        p->cur++;
        return v;
    }
    for (;;) {
        JSON_Value *child = parser_value(p, depth + 1);
        if (child == NULL) {
            goto fail;
        }
        if (!array_append(a, child)) {
            value_free_tree(child);
            goto fail;
        }
        parser_skip_space(p);
        if (p->cur >= p->end) {
            goto fail;
        }
        if (*p->cur == ',') {
            p->cur++;
            continue;
        }
        if (*p->cur == ']') {
            p->cur++;
            return v;
        }
        goto fail;
    }
fail:
    value_free_tree(v);
    return NULL;
}

static JSON_Value *parser_value(json_parser *p, size_t depth)
{
    parser_skip_space(p);
    if (p->cur >= p->end) {
        return NULL;
    }
    switch (*p->cur) {
    case '{':
        return parser_object(p, depth);
    case '[':
        return parser_array(p, depth);
    case '"': {
        char *chars = NULL;
        size_t len = 0;
        JSON_Value *v;
        if (!parser_string(p, &chars, &len)) {
            return NULL;
        }
        v = value_new_string_owned(chars, len);
        if (v == NULL) {
            json_dealloc(chars);
        }
        return v;
    }
    case 't':
        return parser_literal(p, "true", 4) ? json_value_init_boolean(1) : NULL;
    case 'f':
        return parser_literal(p, "false", 5) ? json_value_init_boolean(0) : NULL;
    case 'n':
        return parser_literal(p, "null", 4) ? json_value_init_null() : NULL;
    default:
        if (*p->cur == '-' || json_is_digit(*p->cur)) {
            return parser_number(p);
        }
        return NULL;
    }
}

/* Parses the first JSON value in text[0..len); what follows it is ignored (as parson). */
static JSON_Value *parse_text(const char *text, size_t len, int comments)
{
    json_parser p;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        text += 3;
        len -= 3;
    }
    p.cur = text;
    p.end = text + len;
    p.comments = comments;
    return parser_value(&p, 0);
}

/* Reads a whole file into a new NUL-terminated buffer. */
static char *read_whole_file(const char *filename, size_t *out_len)
{
    FILE *f;
    char *buf;
    size_t cap = 4096, len = 0;
    if (filename == NULL) {
        return NULL;
    }
    f = fopen(filename, "rb");
    if (f == NULL) {
        return NULL;
    }
    buf = (char *)json_alloc(cap);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (len == cap - 1) {
            char *grown;
            if (cap > SIZE_MAX / 2) {
                goto fail;
            }
            grown = (char *)json_alloc(cap * 2);
            if (grown == NULL) {
                goto fail;
            }
            memcpy(grown, buf, len);
            json_dealloc(buf);
            buf = grown;
            cap *= 2;
        }
        got = fread(buf + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    *out_len = len;
    return buf;
fail:
    json_dealloc(buf);
    fclose(f);
    return NULL;
}

static JSON_Value *parse_file(const char *filename, int comments)
{
    size_t len = 0;
    char *text = read_whole_file(filename, &len);
    JSON_Value *v;
    if (text == NULL) {
        return NULL;
    }
    v = parse_text(text, len, comments);
    json_dealloc(text);
    return v;
}

GATEWAY_EXPORT JSON_Value *json_parse_file(const char *filename)
{
    return parse_file(filename, 0);
}

GATEWAY_EXPORT JSON_Value *json_parse_file_with_comments(const char *filename)
{
    return parse_file(filename, 1);
}

GATEWAY_EXPORT JSON_Value *json_parse_string(const char *string)
{
    return string != NULL ? parse_text(string, strlen(string), 0) : NULL;
}

GATEWAY_EXPORT JSON_Value *json_parse_string_with_comments(const char *string)
{
    return string != NULL ? parse_text(string, strlen(string), 1) : NULL;
}

/* ---------------------------------------------------------------------------------------------- */
/* Serializer                                                                                     */

/* Output sink: with buf == NULL it only counts bytes. */
typedef struct {
    char *buf;
    size_t cap; /* bytes available in buf (terminator excluded) */
    size_t len;
    int failed;
} json_sink;

static void sink_write(json_sink *s, const char *data, size_t n)
{
    if (s->failed || n == 0) {
        return;
    }
    if (n > SIZE_MAX - 1 - s->len) {
        s->failed = 1;
        return;
    }
    if (s->buf != NULL) {
        if (n > s->cap - s->len) {
            s->failed = 1;
            return;
        }
        memcpy(s->buf + s->len, data, n);
    }
    s->len += n;
}

static void sink_indent(json_sink *s, size_t level)
{
    size_t i;
    for (i = 0; i < level; i++) {
        sink_write(s, "    ", 4);
    }
}

static void sink_string(json_sink *s, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    sink_write(s, "\"", 1);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)str[i];
        const char *esc = NULL;
        char ubuf[7];
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '/':
            esc = json_escape_slashes_flag ? "\\/" : NULL;
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            if (c < 0x20) {
                ubuf[0] = '\\';
                ubuf[1] = 'u';
                ubuf[2] = '0';
                ubuf[3] = '0';
                ubuf[4] = hex[c >> 4];
                ubuf[5] = hex[c & 0xF];
                ubuf[6] = '\0';
                esc = ubuf;
            }
            break;
        }
        if (esc != NULL) {
            sink_write(s, str + run, i - run);
            sink_write(s, esc, strlen(esc));
            run = i + 1;
        }
    }
    sink_write(s, str + run, len - run);
    sink_write(s, "\"", 1);
}

static void sink_number(json_sink *s, double d)
{
    char small[64];
    char *out = small;
    int n;
    if (json_float_format[0] == '\0' && d >= -JSON_MAX_SAFE_INTEGER && d <= JSON_MAX_SAFE_INTEGER &&
        (double)(long long)d == d) {
        n = snprintf(small, sizeof(small), "%lld", (long long)d);
    } else {
        const char *fmt = json_float_format[0] != '\0' ? json_float_format : "%1.17g";
        const char *dp;
        size_t dp_len;
        char *at;
        n = snprintf(small, sizeof(small), fmt, d);
        if (n >= 0 && (size_t)n >= sizeof(small)) {
            out = (char *)json_alloc((size_t)n + 1);
            if (out == NULL) {
                s->failed = 1;
                return;
            }
            n = snprintf(out, (size_t)n + 1, fmt, d);
        }
        /* snprintf follows the C locale's decimal point; JSON needs '.'. */
        dp = json_locale_decimal_point();
        dp_len = strlen(dp);
        if (n > 0 && strcmp(dp, ".") != 0 && (at = strstr(out, dp)) != NULL) {
            *at = '.';
            memmove(at + 1, at + dp_len, strlen(at + dp_len) + 1);
            n -= (int)(dp_len - 1);
        }
    }
    if (n < 0) {
        s->failed = 1;
    } else {
        sink_write(s, out, (size_t)n);
    }
    if (out != small) {
        json_dealloc(out);
    }
}

static void serialize_value(const JSON_Value *v, json_sink *s, size_t level, int pretty)
{
    size_t i;
    if (s->failed) {
        return;
    }
    switch (v->type) {
    case JSONNull:
        sink_write(s, "null", 4);
        break;
    case JSONBoolean:
        if (v->u.boolean) {
            sink_write(s, "true", 4);
        } else {
            sink_write(s, "false", 5);
        }
        break;
    case JSONNumber:
        sink_number(s, v->u.number);
        break;
    case JSONString:
        sink_string(s, v->u.string.chars, v->u.string.len);
        break;
    case JSONArray: {
        const JSON_Array *a = v->u.array;
        if (level >= JSON_MAX_NESTING) {
            s->failed = 1;
            return;
        }
        sink_write(s, "[", 1);
        if (pretty && a->count > 0) {
            sink_write(s, "\n", 1);
        }
        for (i = 0; i < a->count && !s->failed; i++) {
            if (pretty) {
                sink_indent(s, level + 1);
            }
            serialize_value(a->items[i], s, level + 1, pretty);
            if (i + 1 < a->count) {
                sink_write(s, ",", 1);
            }
            if (pretty) {
                sink_write(s, "\n", 1);
            }
        }
        if (pretty && a->count > 0) {
            sink_indent(s, level);
        }
        sink_write(s, "]", 1);
        break;
    }
    case JSONObject: {
        const JSON_Object *o = v->u.object;
        if (level >= JSON_MAX_NESTING) {
            s->failed = 1;
            return;
        }
        sink_write(s, "{", 1);
        if (pretty && o->count > 0) {
            sink_write(s, "\n", 1);
        }
        for (i = 0; i < o->count && !s->failed; i++) {
            if (pretty) {
                sink_indent(s, level + 1);
            }
            sink_string(s, o->members[i].name, o->members[i].name_len);
            if (pretty) {
                sink_write(s, ": ", 2);
            } else {
                sink_write(s, ":", 1);
            }
            serialize_value(o->members[i].value, s, level + 1, pretty);
            if (i + 1 < o->count) {
                sink_write(s, ",", 1);
            }
            if (pretty) {
                sink_write(s, "\n", 1);
            }
        }
        if (pretty && o->count > 0) {
            sink_indent(s, level);
        }
        sink_write(s, "}", 1);
        break;
    }
    default:
        s->failed = 1;
        break;
    }
}

static size_t serialized_size(const JSON_Value *value, int pretty)
{
    json_sink s;
    if (value == NULL) {
        return 0;
    }
    s.buf = NULL;
    s.cap = 0;
    s.len = 0;
    s.failed = 0;
    serialize_value(value, &s, 0, pretty);
    return s.failed ? 0 : s.len + 1;
}

static JSON_Status serialize_to_buffer(const JSON_Value *value, char *buf, size_t buf_size, int pretty)
{
    json_sink s;
    size_t needed = serialized_size(value, pretty);
    if (needed == 0 || buf == NULL || buf_size < needed) {
        return JSONFailure;
    }
    s.buf = buf;
    s.cap = needed - 1;
    s.len = 0;
    s.failed = 0;
    serialize_value(value, &s, 0, pretty);
    if (s.failed || s.len != needed - 1) {
        return JSONFailure;
    }
    buf[s.len] = '\0';
    return JSONSuccess;
}

static char *serialize_to_string(const JSON_Value *value, int pretty)
{
    size_t needed = serialized_size(value, pretty);
    char *buf;
    if (needed == 0) {
        return NULL;
    }
    buf = (char *)json_alloc(needed);
    if (buf == NULL) {
        return NULL;
    }
    if (serialize_to_buffer(value, buf, needed, pretty) != JSONSuccess) {
        json_dealloc(buf);
        return NULL;
    }
    return buf;
}

static JSON_Status serialize_to_file(const JSON_Value *value, const char *filename, int pretty)
{
    JSON_Status status = JSONSuccess;
    char *text;
    FILE *f;
    if (filename == NULL) {
        return JSONFailure;
    }
    text = serialize_to_string(value, pretty);
    if (text == NULL) {
        return JSONFailure;
    }
    f = fopen(filename, "w");
    if (f == NULL) {
        json_dealloc(text);
        return JSONFailure;
    }
    if (fputs(text, f) == EOF) {
        status = JSONFailure;
    }
    if (fclose(f) == EOF) {
        status = JSONFailure;
    }
    json_dealloc(text);
    return status;
}

GATEWAY_EXPORT size_t json_serialization_size(const JSON_Value *value)
{
    return serialized_size(value, 0);
}

GATEWAY_EXPORT JSON_Status json_serialize_to_buffer(const JSON_Value *value, char *buf, size_t buf_size_in_bytes)
{
    return serialize_to_buffer(value, buf, buf_size_in_bytes, 0);
}

GATEWAY_EXPORT JSON_Status json_serialize_to_file(const JSON_Value *value, const char *filename)
{
    return serialize_to_file(value, filename, 0);
}

GATEWAY_EXPORT char *json_serialize_to_string(const JSON_Value *value)
{
    return serialize_to_string(value, 0);
}

GATEWAY_EXPORT size_t json_serialization_size_pretty(const JSON_Value *value)
{
    return serialized_size(value, 1);
}

GATEWAY_EXPORT JSON_Status json_serialize_to_buffer_pretty(const JSON_Value *value, char *buf, size_t buf_size_in_bytes)
{
    return serialize_to_buffer(value, buf, buf_size_in_bytes, 1);
}

GATEWAY_EXPORT JSON_Status json_serialize_to_file_pretty(const JSON_Value *value, const char *filename)
{
    return serialize_to_file(value, filename, 1);
}

GATEWAY_EXPORT char *json_serialize_to_string_pretty(const JSON_Value *value)
{
    return serialize_to_string(value, 1);
}

GATEWAY_EXPORT void json_free_serialized_string(char *string)
{
    json_dealloc(string);
}
