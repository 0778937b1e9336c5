/*
 * parson.h - JSON API compatible with the parson library bundled with the Azure IoT Gateway SDK v1.
 *
 * Original implementation (cshim/json_parson.c) written from the public API contract; exported by
 * libgateway.so because legacy native modules call these functions.
 *
 * Ownership rules (apply to every function below unless it says otherwise):
 * - All memory is taken from the allocation functions installed with json_set_allocation_functions
 *   (default malloc/free). Install them once, before any other call, and never while values exist.
 * - A JSON_Value returned by json_parse_*, json_value_init_* or json_value_deep_copy belongs to the
 *   caller, who frees it (and the whole tree under it) with json_value_free.
 * - JSON_Object / JSON_Array / const char* / JSON_Value* returned by getters are borrowed: they live
 *   inside their root value and stay valid until that part of the tree is removed, replaced, cleared
 *   or freed. Never free them yourself (except json_value_free on a root).
 * - The *_set_value / *_append_value / *_replace_value functions take ownership of the value only
 *   when they return JSONSuccess. A value that already has a parent, or that would create a cycle,
 *   is rejected (JSONFailure) and stays owned by the caller.
 * - Strings passed in are copied; strings returned by json_serialize_to_string* belong to the caller
 *   and are freed with json_free_serialized_string.
 * - Error results: NULL for pointers, 0 for numbers, counts and lengths, -1 for booleans,
 *   JSONError for types, JSONFailure for statuses. NULL arguments are always accepted and rejected.
 * - The library keeps no per-value locks: a tree may be read from several threads at once, but must
 *   not be modified concurrently with any other access. The global settings (allocation functions,
 *   escape slashes, float format) are process-wide and not synchronised.
 *
 * Parser behaviour: RFC 8259 JSON with these parson-compatible rules: any value may be the root; a
 * UTF-8 BOM at the start is skipped; whitespace is space, \t, \n, \r, \v, \f; content after the root
 * value is ignored ("{}xyz" parses as {}); duplicate keys in an object make the parse fail; keys
 * containing \u0000 make the parse fail; raw control characters (< 0x20) inside strings and invalid
 * UTF-8 make the parse fail; \u escapes (surrogate pairs included; lone surrogates fail) decode to
 * UTF-8; \u0000 inside a string value is kept (see the *_string_len functions); numbers follow the
 * JSON grammar strictly (no leading zeros, hex, "1.", ".5", "+1", inf or nan) and a number that
 * overflows a double fails (an underflow becomes 0 or a subnormal); containers nest at most 2048
 * deep. The *_with_comments variants also accept C comments (block and line) wherever whitespace
 * is allowed.
 *
 * Serializer behaviour: compact form has no whitespace ({"a":1,"b":[true,null]}); the pretty form
 * indents by 4 spaces, puts each member on its own line, writes ": " between key and value and
 * writes empty containers as {} and []; neither ends with a newline. Object members keep insertion
 * order. Numbers that are integral and within +-2^53 are written as integers (-0 as 0), other numbers
 * with "%1.17g", always with '.' as decimal point whatever the C locale. Strings escape '"', '\\',
 * '/' (as \/ unless json_set_escape_slashes(0)), \b \f \n \r \t, and other control characters as
 * \u00xx; everything else (UTF-8 included) is written as is.
 */
#ifndef PARSON_H
#define PARSON_H

#include <stddef.h>

#include "gateway_export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct json_object_t JSON_Object;
typedef struct json_array_t JSON_Array;
typedef struct json_value_t JSON_Value;

enum json_value_type {
    JSONError = -1,
    JSONNull = 1,
    JSONString = 2,
    JSONNumber = 3,
    JSONObject = 4,
    JSONArray = 5,
    JSONBoolean = 6
};
typedef int JSON_Value_Type;

enum json_result_t {
    JSONSuccess = 0,
    JSONFailure = -1
};
typedef int JSON_Status;

typedef void *(*JSON_Malloc_Function)(size_t);
typedef void (*JSON_Free_Function)(void *);

/* Installs the allocator used for every allocation; NULL for either restores malloc/free. */
GATEWAY_EXPORT void json_set_allocation_functions(JSON_Malloc_Function malloc_fun, JSON_Free_Function free_fun);

/* Whether '/' is written as "\/" (default 1, as parson). Process-wide. */
GATEWAY_EXPORT void json_set_escape_slashes(int escape_slashes);

/* Sets a printf format (consuming exactly one double, at most 127 characters) used for every number;
 * NULL restores the default (integers within 2^53 as integers, others "%1.17g"). A format that is
 * too long is ignored. The caller is responsible for the format producing valid JSON. */
GATEWAY_EXPORT void json_set_float_serialization_format(const char *format);

/* Parsing. The caller owns the result (json_value_free). NULL on any error. */
GATEWAY_EXPORT JSON_Value *json_parse_file(const char *filename);
GATEWAY_EXPORT JSON_Value *json_parse_file_with_comments(const char *filename);
GATEWAY_EXPORT JSON_Value *json_parse_string(const char *string);
GATEWAY_EXPORT JSON_Value *json_parse_string_with_comments(const char *string);

/* Serialization. *_size return the bytes needed including the terminating NUL (0 on error);
 * *_to_buffer fail when buf_size_in_bytes is smaller than that; *_to_string return a new string
 * the caller frees with json_free_serialized_string (NULL on error). Values nested deeper than
 * 2048 containers are not serialized. */
GATEWAY_EXPORT size_t json_serialization_size(const JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_serialize_to_buffer(const JSON_Value *value, char *buf, size_t buf_size_in_bytes);
GATEWAY_EXPORT JSON_Status json_serialize_to_file(const JSON_Value *value, const char *filename);
GATEWAY_EXPORT char *json_serialize_to_string(const JSON_Value *value);
GATEWAY_EXPORT size_t json_serialization_size_pretty(const JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_serialize_to_buffer_pretty(const JSON_Value *value, char *buf, size_t buf_size_in_bytes);
GATEWAY_EXPORT JSON_Status json_serialize_to_file_pretty(const JSON_Value *value, const char *filename);
GATEWAY_EXPORT char *json_serialize_to_string_pretty(const JSON_Value *value);
GATEWAY_EXPORT void json_free_serialized_string(char *string);

/* 1 when a and b hold the same data: objects compare regardless of member order, numbers compare
 * within 0.000001, strings by length and bytes. Two NULLs compare equal (as parson). */
GATEWAY_EXPORT int json_value_equals(const JSON_Value *a, const JSON_Value *b);

/* Checks value against a schema value: types must match (a null in the schema matches anything);
 * an empty schema object/array accepts any object/array; every schema member must exist in value and
 * validate; every array element must validate against the schema array's first element. */
GATEWAY_EXPORT JSON_Status json_validate(const JSON_Value *schema, const JSON_Value *value);

/* Object getters (borrowed results). The dot variants split name at every '.' and walk nested objects. */
GATEWAY_EXPORT JSON_Value *json_object_get_value(const JSON_Object *object, const char *name);
GATEWAY_EXPORT const char *json_object_get_string(const JSON_Object *object, const char *name);
GATEWAY_EXPORT size_t json_object_get_string_len(const JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Object *json_object_get_object(const JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Array *json_object_get_array(const JSON_Object *object, const char *name);
GATEWAY_EXPORT double json_object_get_number(const JSON_Object *object, const char *name);
GATEWAY_EXPORT int json_object_get_boolean(const JSON_Object *object, const char *name);

GATEWAY_EXPORT JSON_Value *json_object_dotget_value(const JSON_Object *object, const char *name);
GATEWAY_EXPORT const char *json_object_dotget_string(const JSON_Object *object, const char *name);
GATEWAY_EXPORT size_t json_object_dotget_string_len(const JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Object *json_object_dotget_object(const JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Array *json_object_dotget_array(const JSON_Object *object, const char *name);
GATEWAY_EXPORT double json_object_dotget_number(const JSON_Object *object, const char *name);
GATEWAY_EXPORT int json_object_dotget_boolean(const JSON_Object *object, const char *name);

GATEWAY_EXPORT size_t json_object_get_count(const JSON_Object *object);
GATEWAY_EXPORT const char *json_object_get_name(const JSON_Object *object, size_t index);
GATEWAY_EXPORT JSON_Value *json_object_get_value_at(const JSON_Object *object, size_t index);
GATEWAY_EXPORT JSON_Value *json_object_get_wrapping_value(const JSON_Object *object);

GATEWAY_EXPORT int json_object_has_value(const JSON_Object *object, const char *name);
GATEWAY_EXPORT int json_object_has_value_of_type(const JSON_Object *object, const char *name, JSON_Value_Type type);
GATEWAY_EXPORT int json_object_dothas_value(const JSON_Object *object, const char *name);
GATEWAY_EXPORT int json_object_dothas_value_of_type(const JSON_Object *object, const char *name, JSON_Value_Type type);

/* Object setters. An existing member keeps its position; its old value is freed. New members are
 * appended. Names must be valid UTF-8. The dot variants create missing intermediate objects (removed
 * again if the call fails) and fail when an intermediate member is not an object. */
GATEWAY_EXPORT JSON_Status json_object_set_value(JSON_Object *object, const char *name, JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_object_set_string(JSON_Object *object, const char *name, const char *string);
GATEWAY_EXPORT JSON_Status json_object_set_string_with_len(JSON_Object *object, const char *name, const char *string, size_t len);
GATEWAY_EXPORT JSON_Status json_object_set_number(JSON_Object *object, const char *name, double number);
GATEWAY_EXPORT JSON_Status json_object_set_boolean(JSON_Object *object, const char *name, int boolean);
GATEWAY_EXPORT JSON_Status json_object_set_null(JSON_Object *object, const char *name);

GATEWAY_EXPORT JSON_Status json_object_dotset_value(JSON_Object *object, const char *name, JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_object_dotset_string(JSON_Object *object, const char *name, const char *string);
GATEWAY_EXPORT JSON_Status json_object_dotset_string_with_len(JSON_Object *object, const char *name, const char *string, size_t len);
GATEWAY_EXPORT JSON_Status json_object_dotset_number(JSON_Object *object, const char *name, double number);
GATEWAY_EXPORT JSON_Status json_object_dotset_boolean(JSON_Object *object, const char *name, int boolean);
GATEWAY_EXPORT JSON_Status json_object_dotset_null(JSON_Object *object, const char *name);

/* Removal frees the removed value; the remaining members keep their order. */
GATEWAY_EXPORT JSON_Status json_object_remove(JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Status json_object_dotremove(JSON_Object *object, const char *name);
GATEWAY_EXPORT JSON_Status json_object_clear(JSON_Object *object);

/* Array getters (borrowed results). */
GATEWAY_EXPORT JSON_Value *json_array_get_value(const JSON_Array *array, size_t index);
GATEWAY_EXPORT const char *json_array_get_string(const JSON_Array *array, size_t index);
GATEWAY_EXPORT size_t json_array_get_string_len(const JSON_Array *array, size_t index);
GATEWAY_EXPORT JSON_Object *json_array_get_object(const JSON_Array *array, size_t index);
GATEWAY_EXPORT JSON_Array *json_array_get_array(const JSON_Array *array, size_t index);
GATEWAY_EXPORT double json_array_get_number(const JSON_Array *array, size_t index);
GATEWAY_EXPORT int json_array_get_boolean(const JSON_Array *array, size_t index);
GATEWAY_EXPORT size_t json_array_get_count(const JSON_Array *array);
GATEWAY_EXPORT JSON_Value *json_array_get_wrapping_value(const JSON_Array *array);

/* Array modification. remove frees the element and shifts the following ones down; replace frees the
 * old element; append adds at the end. */
GATEWAY_EXPORT JSON_Status json_array_remove(JSON_Array *array, size_t i);
GATEWAY_EXPORT JSON_Status json_array_replace_value(JSON_Array *array, size_t i, JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_array_replace_string(JSON_Array *array, size_t i, const char *string);
GATEWAY_EXPORT JSON_Status json_array_replace_string_with_len(JSON_Array *array, size_t i, const char *string, size_t len);
GATEWAY_EXPORT JSON_Status json_array_replace_number(JSON_Array *array, size_t i, double number);
GATEWAY_EXPORT JSON_Status json_array_replace_boolean(JSON_Array *array, size_t i, int boolean);
GATEWAY_EXPORT JSON_Status json_array_replace_null(JSON_Array *array, size_t i);
GATEWAY_EXPORT JSON_Status json_array_clear(JSON_Array *array);
GATEWAY_EXPORT JSON_Status json_array_append_value(JSON_Array *array, JSON_Value *value);
GATEWAY_EXPORT JSON_Status json_array_append_string(JSON_Array *array, const char *string);
GATEWAY_EXPORT JSON_Status json_array_append_string_with_len(JSON_Array *array, const char *string, size_t len);
GATEWAY_EXPORT JSON_Status json_array_append_number(JSON_Array *array, double number);
GATEWAY_EXPORT JSON_Status json_array_append_boolean(JSON_Array *array, int boolean);
GATEWAY_EXPORT JSON_Status json_array_append_null(JSON_Array *array);

/* Value construction: the caller owns the result. init_string copies a NUL-terminated string;
 * init_string_with_len copies len bytes (embedded NULs allowed). Both return NULL for NULL or
 * invalid UTF-8. init_number returns NULL for NaN and infinities. init_boolean stores 0 or 1. */
GATEWAY_EXPORT JSON_Value *json_value_init_object(void);
GATEWAY_EXPORT JSON_Value *json_value_init_array(void);
GATEWAY_EXPORT JSON_Value *json_value_init_string(const char *string);
GATEWAY_EXPORT JSON_Value *json_value_init_string_with_len(const char *string, size_t length);
GATEWAY_EXPORT JSON_Value *json_value_init_number(double number);
GATEWAY_EXPORT JSON_Value *json_value_init_boolean(int boolean);
GATEWAY_EXPORT JSON_Value *json_value_init_null(void);
/* Returns a new, parentless copy of the tree (NULL on error or beyond 2048 levels). */
GATEWAY_EXPORT JSON_Value *json_value_deep_copy(const JSON_Value *value);
/* Frees value and everything under it. A value that still has a parent is first removed from it. */
GATEWAY_EXPORT void json_value_free(JSON_Value *value);

/* Value accessors (borrowed results). Strings are always NUL-terminated; *_string_len gives the
 * length in bytes without the terminator (meaningful when the string holds \u0000). */
GATEWAY_EXPORT JSON_Value_Type json_value_get_type(const JSON_Value *value);
GATEWAY_EXPORT JSON_Object *json_value_get_object(const JSON_Value *value);
GATEWAY_EXPORT JSON_Array *json_value_get_array(const JSON_Value *value);
GATEWAY_EXPORT const char *json_value_get_string(const JSON_Value *value);
GATEWAY_EXPORT size_t json_value_get_string_len(const JSON_Value *value);
GATEWAY_EXPORT double json_value_get_number(const JSON_Value *value);
GATEWAY_EXPORT int json_value_get_boolean(const JSON_Value *value);
GATEWAY_EXPORT JSON_Value *json_value_get_parent(const JSON_Value *value);

/* Short aliases of the json_value_get_* functions. */
GATEWAY_EXPORT JSON_Value_Type json_type(const JSON_Value *value);
GATEWAY_EXPORT JSON_Object *json_object(const JSON_Value *value);
GATEWAY_EXPORT JSON_Array *json_array(const JSON_Value *value);
GATEWAY_EXPORT const char *json_string(const JSON_Value *value);
GATEWAY_EXPORT size_t json_string_len(const JSON_Value *value);
GATEWAY_EXPORT double json_number(const JSON_Value *value);
GATEWAY_EXPORT int json_boolean(const JSON_Value *value);

#ifdef __cplusplus
}
#endif

#endif /* PARSON_H */
