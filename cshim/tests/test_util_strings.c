/* test_util_strings.c - STRING_HANDLE (strings.h) and BUFFER_HANDLE (buffer_.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "azure_c_shared_utility/buffer_.h"
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/xlogging.h"
#include "test_util.h"

static void test_string_new_construct(void)
{
    STRING_HANDLE s = STRING_new();
    CHECK(s != NULL);
    CHECK_STR("", STRING_c_str(s));
    CHECK_INT(0, STRING_length(s));
    STRING_delete(s);

    s = STRING_construct("hello");
    CHECK_STR("hello", STRING_c_str(s));
    CHECK_INT(5, STRING_length(s));
    STRING_delete(s);

    test_log_reset();
    CHECK(STRING_construct(NULL) == NULL);
    CHECK(test_log_count() == 1);
    CHECK_INT(AZ_LOG_ERROR, test_log_last_category());

    s = STRING_construct_n("hello world", 5);
    CHECK_STR("hello", STRING_c_str(s));
    CHECK_INT(5, STRING_length(s));
    STRING_delete(s);
    s = STRING_construct_n("abc", 3);
    CHECK_STR("abc", STRING_c_str(s));
    STRING_delete(s);
    s = STRING_construct_n("abc", 0);
    CHECK_STR("", STRING_c_str(s));
    STRING_delete(s);
    CHECK(STRING_construct_n("abc", 4) == NULL);
    CHECK(STRING_construct_n(NULL, 1) == NULL);
}

static void test_string_clone_with_memory(void)
{
    STRING_HANDLE a = STRING_construct("text");
    STRING_HANDLE b = STRING_clone(a);
    char* memory;
    STRING_HANDLE c;

    CHECK(b != NULL && b != a);
    CHECK_STR("text", STRING_c_str(b));
    CHECK(STRING_c_str(a) != STRING_c_str(b));
    CHECK(STRING_clone(NULL) == NULL);
    STRING_delete(a);
    STRING_delete(b);

    memory = malloc(6);
    memcpy(memory, "owned", 6);
    c = STRING_new_with_memory(memory);
    CHECK(c != NULL);
    CHECK(STRING_c_str(c) == memory);
    CHECK_INT(5, STRING_length(c));
    CHECK(STRING_concat(c, "!") == 0); /* the adopted block can grow */
    CHECK_STR("owned!", STRING_c_str(c));
    STRING_delete(c); /* frees memory: ASan reports a leak otherwise */
    CHECK(STRING_new_with_memory(NULL) == NULL);
    STRING_delete(NULL);
}

static void test_string_quoted_json(void)
{
    STRING_HANDLE s = STRING_new_quoted("a b");
    CHECK_STR("\"a b\"", STRING_c_str(s));
    CHECK_INT(5, STRING_length(s));
    STRING_delete(s);
    s = STRING_new_quoted("");
    CHECK_STR("\"\"", STRING_c_str(s));
    STRING_delete(s);
    CHECK(STRING_new_quoted(NULL) == NULL);

    s = STRING_new_JSON("plain");
    CHECK_STR("\"plain\"", STRING_c_str(s));
    STRING_delete(s);
    s = STRING_new_JSON("q\"b\\s/n\nt\tc\x01\x1f" "d\x7f");
    CHECK_STR("\"q\\\"b\\\\s\\/n\\u000at\\u0009c\\u0001\\u001fd\x7f\"", STRING_c_str(s));
    CHECK_INT(strlen(STRING_c_str(s)), STRING_length(s));
    STRING_delete(s);
    s = STRING_new_JSON("caf\xc3\xa9 \xe2\x82\xac"); /* UTF-8 kept as is */
    CHECK_STR("\"caf\xc3\xa9 \xe2\x82\xac\"", STRING_c_str(s));
    STRING_delete(s);
    s = STRING_new_JSON("");
    CHECK_STR("\"\"", STRING_c_str(s));
    STRING_delete(s);
    CHECK(STRING_new_JSON(NULL) == NULL);
}

static void test_string_from_byte_array(void)
{
    const unsigned char bytes[] = { 'a', 'b', 'c' };
    const unsigned char with_nul[] = { 'x', 0, 'y' };
    STRING_HANDLE s = STRING_from_byte_array(bytes, sizeof(bytes));
    CHECK_STR("abc", STRING_c_str(s));
    CHECK_INT(3, STRING_length(s));
    STRING_delete(s);
    s = STRING_from_byte_array(with_nul, sizeof(with_nul));
    CHECK_STR("x", STRING_c_str(s));
    CHECK_INT(1, STRING_length(s));
    STRING_delete(s);
    s = STRING_from_byte_array(NULL, 0);
    CHECK_STR("", STRING_c_str(s));
    STRING_delete(s);
    CHECK(STRING_from_byte_array(NULL, 1) == NULL);
}

static void test_string_concat(void)
{
    STRING_HANDLE s = STRING_construct("ab");
    STRING_HANDLE t = STRING_construct("cd");
    int i;
    int failures;

    CHECK(STRING_concat(s, "") == 0);
    CHECK_STR("ab", STRING_c_str(s));
    CHECK(STRING_concat(s, "xyz") == 0);
    CHECK_STR("abxyz", STRING_c_str(s));
    CHECK(STRING_concat_with_STRING(s, t) == 0);
    CHECK_STR("abxyzcd", STRING_c_str(s));
    CHECK_STR("cd", STRING_c_str(t));
    CHECK(STRING_concat_with_STRING(t, t) == 0); /* self */
    CHECK_STR("cdcd", STRING_c_str(t));
    CHECK(STRING_concat(t, STRING_c_str(t)) == 0); /* aliasing its own text */
    CHECK_STR("cdcdcdcd", STRING_c_str(t));
    CHECK(STRING_concat(t, STRING_c_str(t) + 6) == 0);
    CHECK_STR("cdcdcdcdcd", STRING_c_str(t));
    failures = 0;
    for (i = 0; i < 1000; i++)
    {
        failures += (STRING_concat(t, "0123456789") != 0);
    }
    CHECK_INT(0, failures);
    CHECK_INT(10010, STRING_length(t));
    CHECK_INT(10010, strlen(STRING_c_str(t)));

    CHECK(STRING_concat(NULL, "x") != 0);
    CHECK(STRING_concat(s, NULL) != 0);
    CHECK(STRING_concat_with_STRING(NULL, t) != 0);
    CHECK(STRING_concat_with_STRING(s, NULL) != 0);
    CHECK_STR("abxyzcd", STRING_c_str(s));
    STRING_delete(s);
    STRING_delete(t);
}

static void test_string_quote_copy_empty(void)
{
    STRING_HANDLE s = STRING_construct("v");
    CHECK(STRING_quote(s) == 0);
    CHECK_STR("\"v\"", STRING_c_str(s));
    CHECK_INT(3, STRING_length(s));
    CHECK(STRING_quote(NULL) != 0);

    CHECK(STRING_copy(s, "replaced text") == 0);
    CHECK_STR("replaced text", STRING_c_str(s));
    CHECK(STRING_copy(s, STRING_c_str(s)) == 0);
    CHECK_STR("replaced text", STRING_c_str(s));
    CHECK(STRING_copy(s, STRING_c_str(s) + 9) == 0); /* overlapping tail */
    CHECK_STR("text", STRING_c_str(s));
    CHECK(STRING_copy(NULL, "x") != 0);
    CHECK(STRING_copy(s, NULL) != 0);
    CHECK_STR("text", STRING_c_str(s));

    CHECK(STRING_copy_n(s, "abcdef", 3) == 0);
    CHECK_STR("abc", STRING_c_str(s));
    CHECK(STRING_copy_n(s, "ab", 10) == 0);
    CHECK_STR("ab", STRING_c_str(s));
    CHECK_INT(2, STRING_length(s));
    CHECK(STRING_copy_n(s, "zz", 0) == 0);
    CHECK_STR("", STRING_c_str(s));
    CHECK(STRING_copy_n(NULL, "x", 1) != 0);
    CHECK(STRING_copy_n(s, NULL, 1) != 0);

    CHECK(STRING_copy(s, "not empty") == 0);
    CHECK(STRING_empty(s) == 0);
    CHECK_STR("", STRING_c_str(s));
    CHECK_INT(0, STRING_length(s));
    CHECK(STRING_concat(s, "again") == 0);
    CHECK_STR("again", STRING_c_str(s));
    CHECK(STRING_empty(NULL) != 0);
    CHECK(STRING_c_str(NULL) == NULL);
    CHECK_INT(0, STRING_length(NULL));
    STRING_delete(s);
}

static void test_string_compare(void)
{
    STRING_HANDLE a = STRING_construct("abc");
    STRING_HANDLE b = STRING_construct("abd");
    STRING_HANDLE c = STRING_construct("abc");

    CHECK(STRING_compare(a, c) == 0);
    CHECK(STRING_compare(a, b) < 0);
    CHECK(STRING_compare(b, a) > 0);
    CHECK_INT(0, STRING_compare(NULL, NULL));
    CHECK_INT(1, STRING_compare(NULL, a));
    CHECK_INT(-1, STRING_compare(a, NULL));
    STRING_delete(a);
    STRING_delete(b);
    STRING_delete(c);
}

static void test_string_sprintf(void)
{
    STRING_HANDLE s = STRING_construct_sprintf("%s-%d-%05.1f", "x", 42, 3.14159);
    char big[3000];

    CHECK_STR("x-42-003.1", STRING_c_str(s));
    CHECK_INT(10, STRING_length(s));
    CHECK(STRING_sprintf(s, " %u", 7u) == 0);
    CHECK_STR("x-42-003.1 7", STRING_c_str(s));
    CHECK(STRING_sprintf(s, "%s", "") == 0);
    CHECK_STR("x-42-003.1 7", STRING_c_str(s));
    CHECK(STRING_sprintf(s, "[%s]", STRING_c_str(s)) == 0); /* argument aliases the target */
    CHECK_STR("x-42-003.1 7[x-42-003.1 7]", STRING_c_str(s));
    CHECK(STRING_sprintf(NULL, "x") != 0);
    CHECK(STRING_sprintf(s, NULL) != 0);
    STRING_delete(s);

    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    s = STRING_construct_sprintf("<%s>", big);
    CHECK_INT(sizeof(big) + 1, STRING_length(s));
    STRING_delete(s);
    s = STRING_construct_sprintf("");
    CHECK_STR("", STRING_c_str(s));
    STRING_delete(s);
    CHECK(STRING_construct_sprintf(NULL) == NULL);
}

static void test_string_replace(void)
{
    STRING_HANDLE s = STRING_construct("a.b.c");
    CHECK(STRING_replace(s, '.', '/') == 0);
    CHECK_STR("a/b/c", STRING_c_str(s));
    CHECK(STRING_replace(s, 'z', 'y') == 0);
    CHECK_STR("a/b/c", STRING_c_str(s));
    CHECK(STRING_replace(s, 'a', 'a') == 0);
    CHECK_STR("a/b/c", STRING_c_str(s));
    CHECK(STRING_replace(s, '/', '\0') == 0); /* cutting at the first NUL */
    CHECK_STR("a", STRING_c_str(s));
    CHECK_INT(1, STRING_length(s));
    CHECK(STRING_replace(NULL, 'a', 'b') != 0);
    STRING_delete(s);
}

static void test_buffer_new_create(void)
{
    const unsigned char bytes[] = { 1, 2, 3, 4 };
    BUFFER_HANDLE b = BUFFER_new();
    size_t size = 99;
    const unsigned char* content = bytes;

    CHECK(b != NULL);
    CHECK_INT(0, BUFFER_length(b));
    CHECK(BUFFER_u_char(b) == NULL);
    CHECK(BUFFER_size(b, &size) == 0);
    CHECK_INT(0, size);
    CHECK(BUFFER_content(b, &content) == 0);
    CHECK(content == NULL);
    BUFFER_delete(b);

    b = BUFFER_create(bytes, sizeof(bytes));
    CHECK_INT(4, BUFFER_length(b));
    CHECK(BUFFER_u_char(b) != bytes);
    CHECK_MEM(bytes, BUFFER_u_char(b), 4);
    CHECK(BUFFER_content(b, &content) == 0);
    CHECK(content == BUFFER_u_char(b));
    BUFFER_delete(b);

    b = BUFFER_create(bytes, 0);
    CHECK(b != NULL);
    CHECK_INT(0, BUFFER_length(b));
    BUFFER_delete(b);
    CHECK(BUFFER_create(NULL, 1) == NULL);
    CHECK(BUFFER_create(NULL, 0) == NULL);
    BUFFER_delete(NULL);
    CHECK(BUFFER_u_char(NULL) == NULL);
    CHECK_INT(0, BUFFER_length(NULL));
    CHECK(BUFFER_size(NULL, &size) != 0);
    CHECK(BUFFER_content(NULL, &content) != 0);
}

static void test_buffer_build(void)
{
    const unsigned char bytes[] = { 'a', 'b', 'c' };
    BUFFER_HANDLE b = BUFFER_new();
    size_t size;

    CHECK(BUFFER_size(b, NULL) != 0);
    CHECK(BUFFER_content(b, NULL) != 0);

    CHECK(BUFFER_pre_build(b, 0) != 0);
    CHECK(BUFFER_pre_build(NULL, 4) != 0);
    CHECK(BUFFER_pre_build(b, 8) == 0);
    CHECK_INT(8, BUFFER_length(b));
    CHECK(BUFFER_u_char(b) != NULL);
    CHECK(BUFFER_pre_build(b, 8) != 0); /* already has storage */
    CHECK(BUFFER_fill(b, 0x5A) == 0);
    CHECK(BUFFER_u_char(b)[0] == 0x5A && BUFFER_u_char(b)[7] == 0x5A);
    CHECK(BUFFER_fill(NULL, 0) != 0);

    CHECK(BUFFER_build(b, bytes, 3) == 0);
    CHECK_INT(3, BUFFER_length(b));
    CHECK_MEM("abc", BUFFER_u_char(b), 3);
    CHECK(BUFFER_build(b, BUFFER_u_char(b) + 1, 2) == 0); /* source inside the buffer */
    CHECK_MEM("bc", BUFFER_u_char(b), 2);
    CHECK(BUFFER_build(b, NULL, 0) == 0);
    CHECK_INT(0, BUFFER_length(b));
    CHECK(BUFFER_u_char(b) == NULL);
    CHECK(BUFFER_build(b, NULL, 1) != 0);
    CHECK(BUFFER_build(NULL, bytes, 1) != 0);

    CHECK(BUFFER_append_build(b, bytes, 3) == 0); /* into an empty buffer */
    CHECK(BUFFER_append_build(b, bytes, 2) == 0);
    CHECK_INT(5, BUFFER_length(b));
    CHECK_MEM("abcab", BUFFER_u_char(b), 5);
    CHECK(BUFFER_append_build(b, BUFFER_u_char(b), 5) == 0); /* from itself */
    CHECK_MEM("abcababcab", BUFFER_u_char(b), 10);
    CHECK(BUFFER_append_build(b, bytes, 0) != 0);
    CHECK(BUFFER_append_build(b, NULL, 1) != 0);
    CHECK(BUFFER_append_build(NULL, bytes, 1) != 0);

    CHECK(BUFFER_unbuild(b) == 0);
    CHECK_INT(0, BUFFER_length(b));
    CHECK(BUFFER_unbuild(b) != 0); /* nothing to free */
    CHECK(BUFFER_unbuild(NULL) != 0);
    CHECK(BUFFER_pre_build(b, 2) == 0); /* allowed again after unbuild */
    CHECK(BUFFER_size(b, &size) == 0);
    CHECK_INT(2, size);
    BUFFER_delete(b);
}

static void test_buffer_enlarge_shrink(void)
{
    BUFFER_HANDLE b = BUFFER_create((const unsigned char*)"0123456789", 10);

    CHECK(BUFFER_enlarge(b, 5) == 0);
    CHECK_INT(15, BUFFER_length(b));
    CHECK_MEM("0123456789", BUFFER_u_char(b), 10);
    CHECK(BUFFER_enlarge(b, 0) != 0);
    CHECK(BUFFER_enlarge(NULL, 1) != 0);

    CHECK(BUFFER_shrink(b, 5, true) == 0);
    CHECK_INT(10, BUFFER_length(b));
    CHECK_MEM("0123456789", BUFFER_u_char(b), 10);
    CHECK(BUFFER_shrink(b, 3, false) == 0);
    CHECK_INT(7, BUFFER_length(b));
    CHECK_MEM("3456789", BUFFER_u_char(b), 7);
    CHECK(BUFFER_shrink(b, 2, true) == 0);
    CHECK_MEM("34567", BUFFER_u_char(b), 5);
    CHECK(BUFFER_shrink(b, 6, true) != 0); /* more than the size */
    CHECK(BUFFER_shrink(b, 0, true) != 0);
    CHECK(BUFFER_shrink(NULL, 1, true) != 0);
    CHECK_INT(5, BUFFER_length(b));
    CHECK(BUFFER_shrink(b, 5, false) == 0);
    CHECK_INT(0, BUFFER_length(b));
    CHECK(BUFFER_u_char(b) == NULL);
    CHECK(BUFFER_enlarge(b, 3) == 0); /* enlarge an empty buffer */
    CHECK_INT(3, BUFFER_length(b));
    BUFFER_delete(b);
}

static void test_buffer_append_prepend_clone(void)
{
    BUFFER_HANDLE a = BUFFER_create((const unsigned char*)"abc", 3);
    BUFFER_HANDLE b = BUFFER_create((const unsigned char*)"XY", 2);
    BUFFER_HANDLE empty = BUFFER_new();
    BUFFER_HANDLE c;

    CHECK(BUFFER_append(a, b) == 0);
    CHECK_INT(5, BUFFER_length(a));
    CHECK_MEM("abcXY", BUFFER_u_char(a), 5);
    CHECK_INT(2, BUFFER_length(b));
    CHECK(BUFFER_prepend(a, b) == 0);
    CHECK_MEM("XYabcXY", BUFFER_u_char(a), 7);
    CHECK_MEM("XY", BUFFER_u_char(b), 2);
    CHECK(BUFFER_append(a, empty) == 0);
    CHECK(BUFFER_prepend(a, empty) == 0);
    CHECK_INT(7, BUFFER_length(a));
    CHECK(BUFFER_append(empty, b) == 0);
    CHECK_MEM("XY", BUFFER_u_char(empty), 2);
    CHECK(BUFFER_append(b, b) == 0);
    CHECK_MEM("XYXY", BUFFER_u_char(b), 4);
    CHECK(BUFFER_prepend(b, b) == 0);
    CHECK_MEM("XYXYXYXY", BUFFER_u_char(b), 8);
    CHECK(BUFFER_append(NULL, b) != 0);
    CHECK(BUFFER_append(a, NULL) != 0);
    CHECK(BUFFER_prepend(NULL, b) != 0);
    CHECK(BUFFER_prepend(a, NULL) != 0);

    c = BUFFER_clone(a);
    CHECK(c != NULL && c != a);
    CHECK_INT(7, BUFFER_length(c));
    CHECK(BUFFER_u_char(c) != BUFFER_u_char(a));
    CHECK_MEM("XYabcXY", BUFFER_u_char(c), 7);
    BUFFER_delete(c);
    CHECK(BUFFER_unbuild(a) == 0);
    c = BUFFER_clone(a);
    CHECK(c != NULL);
    CHECK_INT(0, BUFFER_length(c));
    BUFFER_delete(c);
    CHECK(BUFFER_clone(NULL) == NULL);

    BUFFER_delete(a);
    BUFFER_delete(b);
    BUFFER_delete(empty);
}

int main(void)
{
    TEST_RUN(test_string_new_construct);
    TEST_RUN(test_string_clone_with_memory);
    TEST_RUN(test_string_quoted_json);
    TEST_RUN(test_string_from_byte_array);
    TEST_RUN(test_string_concat);
    TEST_RUN(test_string_quote_copy_empty);
    TEST_RUN(test_string_compare);
    TEST_RUN(test_string_sprintf);
    TEST_RUN(test_string_replace);
    TEST_RUN(test_buffer_new_create);
    TEST_RUN(test_buffer_build);
    TEST_RUN(test_buffer_enlarge_shrink);
    TEST_RUN(test_buffer_append_prepend_clone);
    return test_summary("test_util_strings");
}
