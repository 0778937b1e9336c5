/*
 * fuzz_json_driver.c - standalone fuzz driver for the parson-compatible JSON API.
 *
 * Usage: fuzz_json_driver FILE
 * Reads FILE (bytes up to the first NUL are the JSON text), parses it with and without comments and,
 * for every successful parse, checks invariants: the compact and pretty serializations exist, parse
 * back to an equal value, and serializing again gives the same text; a deep copy is equal.
 * Everything is freed. Exit status 0 means the input was handled; a
 * violated invariant calls abort() (so a harness sees a crash), as does any memory error under ASan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parson.h"

#define REQUIRE(cond)                                                                   \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, "fuzz_json_driver: invariant failed at line %d: %s\n", __LINE__, #cond); \
            abort();                                                                    \
        }                                                                               \
    } while (0)

static char *read_input(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        size_t got;
        if (cap - len < 4096) {
            char *grown = (char *)realloc(buf, cap + 65536 + 1);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
            cap += 65536;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static void check_value(const JSON_Value *v)
{
    char *compact = json_serialize_to_string(v);
    char *pretty = json_serialize_to_string_pretty(v);
    JSON_Value *back;
    JSON_Value *copy;
    char *again;

    REQUIRE(compact != NULL);
    REQUIRE(pretty != NULL);
    REQUIRE(json_serialization_size(v) == strlen(compact) + 1);
    REQUIRE(json_serialization_size_pretty(v) == strlen(pretty) + 1);

    back = json_parse_string(compact);
    REQUIRE(back != NULL);
    REQUIRE(json_value_equals(v, back));
    again = json_serialize_to_string(back);
    REQUIRE(again != NULL && strcmp(again, compact) == 0);
    json_free_serialized_string(again);
    json_value_free(back);

    back = json_parse_string(pretty);
    REQUIRE(back != NULL);
    REQUIRE(json_value_equals(v, back));
    json_value_free(back);

    copy = json_value_deep_copy(v);
    REQUIRE(copy != NULL);
    REQUIRE(json_value_equals(v, copy));
    json_value_free(copy);

    json_free_serialized_string(compact);
    json_free_serialized_string(pretty);
}

int main(int argc, char **argv)
{
    char *text;
    JSON_Value *v;
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    text = read_input(argv[1]);
    if (text == NULL) {
        perror(argv[1]);
        return 2;
    }
    v = json_parse_string(text);
    if (v != NULL) {
        check_value(v);
        json_value_free(v);
    }
    v = json_parse_string_with_comments(text);
    if (v != NULL) {
        check_value(v);
        json_value_free(v);
    }
    free(text);
    return 0;
}
