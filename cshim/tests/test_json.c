/*
 * test_json.c - tests for the parson-compatible JSON API (cshim/json_parson.c).
 *
 * Self-contained: build and run with cshim/tests/run_json_tests.sh from the repository root.
 * Every allocation of the library goes through a counting allocator installed with
 * json_set_allocation_functions; tests check that nothing stays allocated, and an allocator that
 * fails after N calls drives every failure path (run under ASan/UBSan by the script).
 */
#define _POSIX_C_SOURCE 200809L

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parson.h"

static int tests_passed;
static int tests_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (cond) {                                                                  \
            tests_passed++;                                                          \
        } else {                                                                     \
            tests_failed++;                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_STR(actual, expected)                                                                       \
    do {                                                                                                  \
        const char *a_ = (actual);                                                                        \
        const char *e_ = (expected);                                                                      \
        if (a_ != NULL && e_ != NULL && strcmp(a_, e_) == 0) {                                            \
            tests_passed++;                                                                               \
        } else {                                                                                          \
            tests_failed++;                                                                               \
            fprintf(stderr, "%s:%d: got %s%s%s, want %s%s%s\n", __FILE__, __LINE__, a_ ? "'" : "",         \
                    a_ ? a_ : "NULL", a_ ? "'" : "", e_ ? "'" : "", e_ ? e_ : "NULL", e_ ? "'" : "");      \
        }                                                                                                 \
    } while (0)

/* ---------------------------------------------------------------------------------------------- */
/* Counting / failing allocator                                                                   */

static long live_allocations;
static long total_allocations;
static long fail_after = -1; /* -1: never fail; N: the next N allocations succeed, then all fail */

static void *test_malloc(size_t size)
{
    void *p;
    if (fail_after == 0) {
        return NULL;
    }
    if (fail_after > 0) {
        fail_after--;
    }
    p = malloc(size);
    if (p != NULL) {
        live_allocations++;
        total_allocations++;
    }
    return p;
}

static void test_free(void *p)
{
    if (p != NULL) {
        live_allocations--;
    }
    free(p);
}

/* ---------------------------------------------------------------------------------------------- */
/* Helpers                                                                                        */

static char temp_dir[256];

static const char *temp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", temp_dir, name);
    return path;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    if (len > 0 && fwrite(data, 1, len, f) != len) {
        perror(path);
        exit(2);
    }
    fclose(f);
}

#define WRITE_LITERAL(path, literal) write_file((path), (literal), sizeof(literal) - 1)

static char *read_text_file(const char *path)
{
    static char buf[65536];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Parses text and returns its compact serialization in a static buffer ("<NULL>" on parse failure). */
static const char *reserialize(const char *text, int comments)
{
    static char out[1 << 16];
    JSON_Value *v = comments ? json_parse_string_with_comments(text) : json_parse_string(text);
    char *s;
    if (v == NULL) {
        return "<NULL>";
    }
    s = json_serialize_to_string(v);
    snprintf(out, sizeof(out), "%s", s != NULL ? s : "<SERIALIZE FAILED>");
    json_free_serialized_string(s);
    json_value_free(v);
    return out;
}

static const char *serialize_value(const JSON_Value *v)
{
    static char out[1 << 16];
    char *s = json_serialize_to_string(v);
    snprintf(out, sizeof(out), "%s", s != NULL ? s : "<NULL>");
    json_free_serialized_string(s);
    return out;
}

static char *repeat(const char *unit, size_t times, const char *tail)
{
    size_t ulen = strlen(unit), tlen = strlen(tail), i;
    char *s = (char *)malloc(ulen * times + tlen + 1);
    for (i = 0; i < times; i++) {
        memcpy(s + i * ulen, unit, ulen);
    }
    memcpy(s + ulen * times, tail, tlen + 1);
    return s;
}

/* ---------------------------------------------------------------------------------------------- */
/* Parsing                                                                                        */

static void test_parse_valid(void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"{\"a\":1,\"b\":[true,null]}", "{\"a\":1,\"b\":[true,null]}"},
        {" \t\r\n{ \"a\" : 1 ,\n \"b\" : [ true , null ] }\n", "{\"a\":1,\"b\":[true,null]}"},
        {"\v\f[1]", "[1]"},
        {"{\"z\":1,\"a\":2,\"m\":3}", "{\"z\":1,\"a\":2,\"m\":3}"},
        {"null", "null"},
        {"true", "true"},
        {"false", "false"},
        {"\"str\"", "\"str\""},
        {"123", "123"},
        {"-0", "0"},
        {"0", "0"},
        {"-12", "-12"},
        {"1.5", "1.5"},
        {"1e2", "100"},
        {"1E+2", "100"},
        {"25e-1", "2.5"},
        {"3.14", "3.1400000000000001"},
        {"-0.0015", "-0.0015"},
        {"9007199254740992", "9007199254740992"},
        {"4294967295", "4294967295"},
        {"1e17", "1e+17"},
        {"1e-400", "0"},
        {"[]", "[]"},
        {"{}", "{}"},
        {"[[],{},[{}]]", "[[],{},[{}]]"},
        {"\xEF\xBB\xBF{\"bom\":true}", "{\"bom\":true}"},
        {"{}xyz", "{}"},            /* content after the root value is ignored, as parson */
        {"[1] ]", "[1]"},
        {"truex", "true"},
        {"\"\"", "\"\""},
        {"\"a/b\"", "\"a\\/b\""},
        {"\"a\\/b\"", "\"a\\/b\""},
        {"\"\\\"\\\\\\b\\f\\n\\r\\t\"", "\"\\\"\\\\\\b\\f\\n\\r\\t\""},
        {"\"\\u0041\\u00e9\\u20AC\"", "\"A\xC3\xA9\xE2\x82\xAC\""},
        {"\"\\ud83d\\ude00\"", "\"\xF0\x9F\x98\x80\""},
        {"\"\\uD801\\uDC37x\"", "\"\xF0\x90\x90\xB7x\""},
        {"\"\\u0001\\u001F\\u007f\"", "\"\\u0001\\u001f\x7f\""},
        {"\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\""},
        {"\"\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBD\xF4\x8F\xBF\xBF\"", "\"\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBD\xF4\x8F\xBF\xBF\""},
        {"{\"\":\"\"}", "{\"\":\"\"}"},
        {"{\"a\":{\"a\":{\"a\":[1,{\"b\":null}]}}}", "{\"a\":{\"a\":{\"a\":[1,{\"b\":null}]}}}"},
        {"{\"a\":1,\"A\":2}", "{\"a\":1,\"A\":2}"},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = reserialize(cases[i].in, 0);
        if (strcmp(got, cases[i].out) != 0) {
            fprintf(stderr, "case %zu: input %s\n", i, cases[i].in);
        }
        CHECK_STR(got, cases[i].out);
    }
}

static void test_parse_invalid(void)
{
    static const char *cases[] = {
        "", "   ", "[", "]", "{", "}", "[1,]", "[,1]", "[,]", "{,}", "{:}", "{\"a\":1,}", "{a:1}",
        "{'a':1}", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{\"a\":1 \"b\":2}", "[1 2]", "[\"a\"",
        "{\"a\":0,\"a\":1}",               /* duplicate keys */
        "{\"b\":{\"x\":1,\"y\":2,\"x\":3}}", /* duplicate keys, nested */
        "{\"a\\u0000b\":1}",               /* key containing NUL */
        "\"unterminated", "\"abc\\", "\"abc\\\"", "\"\\x41\"", "\"\\u00zz\"", "\"\\u00\"", "\"\\u\"",
        "\"\\ud800\"", "\"\\ud800x\"", "\"\\ud800\\u0041\"", "\"\\udc00\"", "\"\\uDF67\\uD834\"", "\"\\ud800\\ud800\"",
        "\"a\nb\"", "\"a\tb\"", "\"\x01\"", "\"\x1f\"",
        "\"\x80\"", "\"\xbf\"", "\"\xfe\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xc1\xbf\"", "\"\xe0\x80\xaf\"",
        "\"\xe0\x9f\xbf\"", "\"\xf0\x80\x80\xaf\"", "\"\xf0\x8f\xbf\xbf\"", "\"\xed\xa0\x80\"", "\"\xed\xbf\xbf\"",
        "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\xc3\"", "\"\xf8\x80\x80\x80\x80\"",
        "[07]", "[0070]", "[-07]", "07", "-01", "[0x2]", "[0X2]", "0x10", "-", "[-]", "[1.]", "1.", "[.5]",
        "[+1]", "[1e]", "[1e+]", "[1E-]", "1.5.3", "1..2", "[1_000]", "12abc", "[-a]",
        "[1.7976931348623157e309]", "[-1.7976931348623157e309]", "1e400",
        "[inf]", "[-inf]", "[nan]", "[NaN]", "Infinity", "[tru]", "[nul]", "[fals]", "t", "nul", "x",
        "/* comment */ {}", "// c\n[]", "[1, /*x*/ 2]",
    };
    size_t i;
    long before = live_allocations;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        JSON_Value *v = json_parse_string(cases[i]);
        if (v != NULL) {
            fprintf(stderr, "case %zu unexpectedly parsed: %s\n", i, cases[i]);
            json_value_free(v);
        }
        CHECK(v == NULL);
    }
    CHECK(json_parse_string(NULL) == NULL);
    CHECK(json_parse_string_with_comments(NULL) == NULL);
    CHECK(live_allocations == before);
}

static void test_parse_strings_with_nul(void)
{
    JSON_Value *v = json_parse_string("{\"s\":\"abc\\u0000def\",\"a\":[\"x\\u0000\"]}");
    JSON_Object *o = json_object(v);
    CHECK(v != NULL);
    CHECK(json_object_get_string_len(o, "s") == 7);
    CHECK(memcmp(json_object_get_string(o, "s"), "abc\0def", 8) == 0);
    CHECK(json_array_get_string_len(json_object_get_array(o, "a"), 0) == 2);
    CHECK_STR(serialize_value(v), "{\"s\":\"abc\\u0000def\",\"a\":[\"x\\u0000\"]}");
    json_value_free(v);
}

static void test_nesting_limit(void)
{
    char *ok_text = repeat("[", 2048, "");
    char *ok_full;
    char *too_deep;
    char *huge;
    JSON_Value *v;
    size_t n = strlen(ok_text);

    ok_full = (char *)malloc(n * 2 + 1);
    memcpy(ok_full, ok_text, n);
    memset(ok_full + n, ']', n);
    ok_full[2 * n] = '\0';
    v = json_parse_string(ok_full);
    CHECK(v != NULL);
    if (v != NULL) {
        char *s = json_serialize_to_string(v);
        CHECK(s != NULL && strcmp(s, ok_full) == 0);
        json_free_serialized_string(s);
        s = json_serialize_to_string_pretty(v);
        CHECK(s != NULL);
        json_free_serialized_string(s);
        {
            JSON_Value *copy = json_value_deep_copy(v);
            CHECK(copy != NULL);
            CHECK(json_value_equals(v, copy));
            CHECK(json_validate(v, copy) == JSONSuccess);
            json_value_free(copy);
        }
        json_value_free(v);
    }

    too_deep = (char *)malloc(n * 2 + 3);
    too_deep[0] = '[';
    memcpy(too_deep + 1, ok_full, 2 * n);
    too_deep[2 * n + 1] = ']';
    too_deep[2 * n + 2] = '\0';
    CHECK(json_parse_string(too_deep) == NULL);

    /* Objects count too. */
    free(ok_text);
    ok_text = repeat("{\"a\":", 2049, "1");
    CHECK(json_parse_string(ok_text) == NULL);
    free(ok_text);
    ok_text = repeat("{\"a\":", 2048, "1");
    {
        size_t len = strlen(ok_text);
        char *closed = (char *)malloc(len + 2048 + 1);
        memcpy(closed, ok_text, len);
        memset(closed + len, '}', 2048);
        closed[len + 2048] = '\0';
        v = json_parse_string(closed);
        CHECK(v != NULL);
        json_value_free(v);
        free(closed);
    }

    /* A million opening brackets: refused without exhausting the stack. */
    huge = repeat("[", 1000000, "");
    CHECK(json_parse_string(huge) == NULL);
    free(huge);
    huge = repeat("{\"k\":[", 200000, "");
    CHECK(json_parse_string(huge) == NULL);
    free(huge);

    free(ok_text);
    free(ok_full);
    free(too_deep);
}

static void test_comments(void)
{
    JSON_Value *v;
    JSON_Object *o;
    const char *text =
        "/* leading */ {\n"
        "  \"a\" /* between */ : // line comment\n"
        "  1, /**/ \"b\": \"/* not a comment */ // nor this\",\n"
        "  // \"c\": 3,\n"
        "  \"/**/\": \"//\" /* multi\n line */\n"
        "} // trailing";
    v = json_parse_string_with_comments(text);
    o = json_object(v);
    CHECK(v != NULL);
    CHECK(json_object_get_count(o) == 3);
    CHECK(json_object_get_number(o, "a") == 1);
    CHECK_STR(json_object_get_string(o, "b"), "/* not a comment */ // nor this");
    CHECK_STR(json_object_get_string(o, "/**/"), "//");
    CHECK(!json_object_has_value(o, "c"));
    json_value_free(v);

    CHECK(json_parse_string(text) == NULL); /* comments need the _with_comments variant */

    CHECK_STR(reserialize("[1, /*x*/ 2]", 1), "[1,2]");
    CHECK_STR(reserialize("[1,// c\n2]", 1), "[1,2]");
    CHECK_STR(reserialize("[1] /* unterminated after the root", 1), "[1]");
    CHECK_STR(reserialize("{\"a\":1 /* oops", 1), "<NULL>");
    CHECK_STR(reserialize("[1, // c", 1), "<NULL>");
    CHECK_STR(reserialize("// only a comment", 1), "<NULL>");
    CHECK_STR(reserialize("/* only a comment */", 1), "<NULL>");
    CHECK_STR(reserialize("/", 1), "<NULL>");
    CHECK_STR(reserialize("[1 / 2]", 1), "<NULL>");
    CHECK_STR(reserialize("/*/ [1] */ [2]", 1), "[2]");
    CHECK_STR(reserialize("\"a//b/*c*/\"", 1), "\"a\\/\\/b\\/*c*\\/\"");
}

/* ---------------------------------------------------------------------------------------------- */
/* Serialization                                                                                  */

static void test_number_format(void)
{
    static const struct {
        double d;
        const char *out;
    } cases[] = {
        {42, "42"},
        {-42, "-42"},
        {0, "0"},
        {1.5, "1.5"},
        {-0.5, "-0.5"},
        {0.1, "0.10000000000000001"},
        {3.14, "3.1400000000000001"},
        {1e-7, "9.9999999999999995e-08"},
        {9007199254740992.0, "9007199254740992"},
        {-9007199254740992.0, "-9007199254740992"},
        {9007199254740994.0, "9007199254740994"},
        {1e17, "1e+17"},
        {1e300, "1.0000000000000001e+300"},
        {2147483648.0, "2147483648"},
        {123456789012.0, "123456789012"},
    };
    size_t i;
    JSON_Value *v;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        v = json_value_init_number(cases[i].d);
        CHECK_STR(serialize_value(v), cases[i].out);
        json_value_free(v);
    }
    v = json_value_init_number(-0.0);
    CHECK_STR(serialize_value(v), "0");
    json_value_free(v);

    CHECK(json_value_init_number(NAN) == NULL);
    CHECK(json_value_init_number(INFINITY) == NULL);
    CHECK(json_value_init_number(-INFINITY) == NULL);

    /* Custom format applies to every number; NULL restores the default. */
    v = json_parse_string("[1.5,42]");
    json_set_float_serialization_format("%.3f");
    CHECK_STR(serialize_value(v), "[1.500,42.000]");
    json_set_float_serialization_format("%.200f"); /* longer output than the internal buffer */
    {
        char *s = json_serialize_to_string(v);
        CHECK(s != NULL && strlen(s) > 400 && strncmp(s, "[1.5000", 7) == 0);
        json_free_serialized_string(s);
    }
    {
        char longfmt[300];
        memset(longfmt, 'x', sizeof(longfmt) - 1);
        longfmt[sizeof(longfmt) - 1] = '\0';
        json_set_float_serialization_format("%g");
        json_set_float_serialization_format(longfmt); /* too long: ignored */
        CHECK_STR(serialize_value(v), "[1.5,42]");
    }
    json_set_float_serialization_format(NULL);
    CHECK_STR(serialize_value(v), "[1.5,42]");
    json_value_free(v);

    /* Numbers longer than the internal conversion buffer. */
    CHECK_STR(reserialize("[123456789012345678901234567890123456789012345678901234567890123456789.5]", 0),
              "[1.2345678901234569e+68]");
    CHECK_STR(reserialize("[0.00000000000000000000000000000000000000000000000000000000000000000000000001]", 0),
              "[9.9999999999999996e-75]");

    /* A locale with a decimal comma must not change parsing or output (run_json_tests.sh builds
     * de_DE.UTF-8 into a temporary LOCPATH when the system has none). */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL || setlocale(LC_NUMERIC, "fr_FR.UTF-8") != NULL) {
        char probe[16];
        snprintf(probe, sizeof(probe), "%.1f", 1.5);
        CHECK_STR(probe, "1,5"); /* the locale is really active */
        CHECK_STR(reserialize("[1.5,-0.25,3e-1,7]", 0), "[1.5,-0.25,0.29999999999999999,7]");
        CHECK_STR(reserialize("[123456789012345678901234567890123456789012345678901234567890123456789.5]", 0),
                  "[1.2345678901234569e+68]");
        json_set_float_serialization_format("%.2f");
        CHECK_STR(reserialize("[1.5,2]", 0), "[1.50,2.00]");
        json_set_float_serialization_format(NULL);
        setlocale(LC_NUMERIC, "C");
    } else {
        fprintf(stderr, "note: no decimal-comma locale available; locale checks skipped\n");
    }
}

static void test_string_serialization(void)
{
    JSON_Value *v;
    char raw[32];
    char expected[256];
    int i;
    size_t n = 0;

    /* All control characters. */
    for (i = 1; i < 0x20; i++) {
        raw[n++] = (char)i;
    }
    raw[n] = '\0';
    v = json_value_init_string(raw);
    CHECK(v != NULL);
    snprintf(expected, sizeof(expected), "%s",
             "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
             "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b"
             "\\u001c\\u001d\\u001e\\u001f\"");
    CHECK_STR(serialize_value(v), expected);
    json_value_free(v);

    v = json_value_init_string("quote\" backslash\\ slash/ del\x7f utf8 \xC3\xA9\xF0\x9F\x98\x80");
    CHECK_STR(serialize_value(v), "\"quote\\\" backslash\\\\ slash\\/ del\x7f utf8 \xC3\xA9\xF0\x9F\x98\x80\"");
    json_set_escape_slashes(0);
    CHECK_STR(serialize_value(v), "\"quote\\\" backslash\\\\ slash/ del\x7f utf8 \xC3\xA9\xF0\x9F\x98\x80\"");
    json_set_escape_slashes(1);
    CHECK_STR(serialize_value(v), "\"quote\\\" backslash\\\\ slash\\/ del\x7f utf8 \xC3\xA9\xF0\x9F\x98\x80\"");
    json_value_free(v);

    /* Keys are escaped the same way. */
    v = json_value_init_object();
    CHECK(json_object_set_null(json_object(v), "a/\"b\"\n") == JSONSuccess);
    CHECK_STR(serialize_value(v), "{\"a\\/\\\"b\\\"\\n\":null}");
    json_value_free(v);

    /* Embedded NULs survive with the _len functions. */
    v = json_value_init_string_with_len("a\0b", 3);
    CHECK(v != NULL);
    CHECK(json_value_get_string_len(v) == 3);
    CHECK(json_string_len(v) == 3);
    CHECK(memcmp(json_value_get_string(v), "a\0b", 4) == 0);
    CHECK_STR(serialize_value(v), "\"a\\u0000b\"");
    {
        JSON_Value *back = json_parse_string(serialize_value(v));
        CHECK(json_value_equals(v, back));
        CHECK(json_value_get_string_len(back) == 3);
        json_value_free(back);
    }
    json_value_free(v);

    /* UTF-8 validation of constructed strings. */
    {
        static const char *good[] = {"", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", "\xed\x9f\xbf", "\xee\x80\x80",
                                     "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80", "\xf1\x80\x80\x80",
                                     "\xf3\xbf\xbf\xbf", "\x7f"};
        static const char *bad[] = {"\x80", "\xbf", "\xfe", "\xff", "\xfe\xfe\xff\xff", "\xc0\xaf", "\xc1\xbf",
                                    "\xe0\x80\xaf", "\xe0\x9f\xbf", "\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf",
                                    "\xc0\x80", "\xe0\x80\x80", "\xf0\x80\x80\x80", "\xf8\x80\x80\x80\x80",
                                    "\xfc\x80\x80\x80\x80\x80", "\xed\xa0\x80", "\xed\xaf\xbf", "\xed\xbf\xbf",
                                    "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "abc\xe2\x82", "\xc3", "\xe2\x28\xa1"};
        size_t k;
        for (k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
            v = json_value_init_string(good[k]);
            CHECK(v != NULL);
            json_value_free(v);
        }
        for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
            v = json_value_init_string(bad[k]);
            if (v != NULL) {
                fprintf(stderr, "bad utf-8 case %zu accepted\n", k);
                json_value_free(v);
            }
            CHECK(v == NULL);
        }
        CHECK(json_value_init_string_with_len("\xc3\xa9", 1) == NULL); /* cut inside a sequence */
    }
    CHECK(json_value_init_string(NULL) == NULL);
    CHECK(json_value_init_string_with_len(NULL, 0) == NULL);
}

static const char *pretty_expected =
    "{\n"
    "    \"a\": 1,\n"
    "    \"b\": [\n"
    "        true,\n"
    "        null\n"
    "    ],\n"
    "    \"c\": {},\n"
    "    \"d\": [],\n"
    "    \"e\": {\n"
    "        \"f\": \"g\\/h\",\n"
    "        \"i\": [\n"
    "            [],\n"
    "            {\n"
    "                \"j\": false\n"
    "            }\n"
    "        ]\n"
    "    }\n"
    "}";

static void test_serialize_api(void)
{
    const char *doc = "{\"a\":1,\"b\":[true,null],\"c\":{},\"d\":[],\"e\":{\"f\":\"g\\/h\",\"i\":[[],{\"j\":false}]}}";
    JSON_Value *v = json_parse_string(doc);
    JSON_Value *back;
    char *s;
    char buf[512];
    size_t size;

    CHECK(v != NULL);
    s = json_serialize_to_string(v);
    CHECK_STR(s, doc);
    size = json_serialization_size(v);
    CHECK(s != NULL && size == strlen(s) + 1);
    json_free_serialized_string(s);

    CHECK(json_serialize_to_buffer(v, buf, size) == JSONSuccess);
    CHECK_STR(buf, doc);
    CHECK(json_serialize_to_buffer(v, buf, size - 1) == JSONFailure);
    CHECK(json_serialize_to_buffer(v, buf, 0) == JSONFailure);
    CHECK(json_serialize_to_buffer(v, NULL, size) == JSONFailure);
    CHECK(json_serialize_to_buffer(NULL, buf, sizeof(buf)) == JSONFailure);

    s = json_serialize_to_string_pretty(v);
    CHECK_STR(s, pretty_expected);
    size = json_serialization_size_pretty(v);
    CHECK(s != NULL && size == strlen(s) + 1);
    back = json_parse_string(s);
    CHECK(json_value_equals(v, back));
    json_value_free(back);
    json_free_serialized_string(s);
    CHECK(json_serialize_to_buffer_pretty(v, buf, size) == JSONSuccess);
    CHECK_STR(buf, pretty_expected);
    CHECK(json_serialize_to_buffer_pretty(v, buf, size - 1) == JSONFailure);
    CHECK(json_serialize_to_buffer_pretty(NULL, buf, sizeof(buf)) == JSONFailure);

    /* Files. */
    CHECK(json_serialize_to_file(v, temp_path("compact.json")) == JSONSuccess);
    CHECK_STR(read_text_file(temp_path("compact.json")), doc);
    back = json_parse_file(temp_path("compact.json"));
    CHECK(json_value_equals(v, back));
    json_value_free(back);
    CHECK(json_serialize_to_file_pretty(v, temp_path("pretty.json")) == JSONSuccess);
    CHECK_STR(read_text_file(temp_path("pretty.json")), pretty_expected);
    back = json_parse_file_with_comments(temp_path("pretty.json"));
    CHECK(json_value_equals(v, back));
    json_value_free(back);
    CHECK(json_serialize_to_file(v, temp_path("no/such/dir/x.json")) == JSONFailure);
    CHECK(json_serialize_to_file_pretty(v, temp_path("no/such/dir/x.json")) == JSONFailure);
    CHECK(json_serialize_to_file(NULL, temp_path("null.json")) == JSONFailure);
    CHECK(json_serialize_to_file(v, NULL) == JSONFailure);
    CHECK(json_serialize_to_file_pretty(NULL, temp_path("null.json")) == JSONFailure);

    /* Scalars and empties. */
    CHECK(json_serialization_size(NULL) == 0);
    CHECK(json_serialization_size_pretty(NULL) == 0);
    CHECK(json_serialize_to_string(NULL) == NULL);
    CHECK(json_serialize_to_string_pretty(NULL) == NULL);
    json_free_serialized_string(NULL);
    CHECK_STR(reserialize("  \"x\"  ", 0), "\"x\"");
    back = json_parse_string("{}");
    s = json_serialize_to_string_pretty(back);
    CHECK_STR(s, "{}");
    json_free_serialized_string(s);
    json_value_free(back);
    back = json_parse_string("[]");
    s = json_serialize_to_string_pretty(back);
    CHECK_STR(s, "[]");
    json_free_serialized_string(s);
    json_value_free(back);
    back = json_value_init_boolean(0);
    CHECK(json_serialization_size(back) == 6);
    s = json_serialize_to_string_pretty(back);
    CHECK_STR(s, "false");
    json_free_serialized_string(s);
    json_value_free(back);

    json_value_free(v);
}

static void test_parse_file(void)
{
    JSON_Value *v;
    char *big;
    size_t i;

    WRITE_LITERAL(temp_path("a.json"), "\xEF\xBB\xBF{\"k\": [1, 2, 3]} trailing");
    v = json_parse_file(temp_path("a.json"));
    CHECK_STR(serialize_value(v), "{\"k\":[1,2,3]}");
    json_value_free(v);

    WRITE_LITERAL(temp_path("c.json"), "// config\n{\"k\": /* v */ true}\n");
    CHECK(json_parse_file(temp_path("c.json")) == NULL);
    v = json_parse_file_with_comments(temp_path("c.json"));
    CHECK_STR(serialize_value(v), "{\"k\":true}");
    json_value_free(v);

    WRITE_LITERAL(temp_path("empty.json"), "");
    CHECK(json_parse_file(temp_path("empty.json")) == NULL);
    WRITE_LITERAL(temp_path("nul.json"), "[1,\0 2]");
    CHECK(json_parse_file(temp_path("nul.json")) == NULL);
    WRITE_LITERAL(temp_path("nulstr.json"), "[\"a\0b\"]");
    CHECK(json_parse_file(temp_path("nulstr.json")) == NULL);
    WRITE_LITERAL(temp_path("nultail.json"), "[1]\0garbage");
    v = json_parse_file(temp_path("nultail.json"));
    CHECK_STR(serialize_value(v), "[1]");
    json_value_free(v);

    CHECK(json_parse_file(temp_path("missing.json")) == NULL);
    CHECK(json_parse_file(temp_dir) == NULL); /* a directory */
    CHECK(json_parse_file(NULL) == NULL);
    CHECK(json_parse_file_with_comments(NULL) == NULL);
    CHECK(json_parse_file_with_comments(temp_path("missing.json")) == NULL);

    /* Larger than the initial read buffer. */
    big = (char *)malloc(200000);
    big[0] = '[';
    for (i = 1; i < 199998; i += 2) {
        big[i] = '7';
        big[i + 1] = ',';
    }
    big[199997] = '7';
    big[199998] = ']';
    big[199999] = '\n';
    write_file(temp_path("big.json"), big, 200000);
    v = json_parse_file(temp_path("big.json"));
    CHECK(json_array_get_count(json_array(v)) == 99999);
    CHECK(json_array_get_number(json_array(v), 99998) == 7);
    json_value_free(v);
    free(big);
}

/* ---------------------------------------------------------------------------------------------- */
/* Objects                                                                                        */

static void test_object_get_set(void)
{
    JSON_Value *root = json_value_init_object();
    JSON_Object *o = json_value_get_object(root);
    JSON_Value *v;

    CHECK(root != NULL && o != NULL);
    CHECK(json_object_get_wrapping_value(o) == root);
    CHECK(json_object_get_count(o) == 0);

    CHECK(json_object_set_string(o, "s", "text") == JSONSuccess);
    CHECK(json_object_set_number(o, "n", 2.5) == JSONSuccess);
    CHECK(json_object_set_boolean(o, "t", 7) == JSONSuccess);
    CHECK(json_object_set_boolean(o, "f", 0) == JSONSuccess);
    CHECK(json_object_set_null(o, "z") == JSONSuccess);
    CHECK(json_object_set_value(o, "o", json_value_init_object()) == JSONSuccess);
    CHECK(json_object_set_value(o, "a", json_value_init_array()) == JSONSuccess);
    CHECK(json_object_set_string_with_len(o, "bin", "x\0y", 3) == JSONSuccess);
    CHECK(json_object_get_count(o) == 8);

    CHECK_STR(json_object_get_string(o, "s"), "text");
    CHECK(json_object_get_string_len(o, "s") == 4);
    CHECK(json_object_get_number(o, "n") == 2.5);
    CHECK(json_object_get_boolean(o, "t") == 1);
    CHECK(json_object_get_boolean(o, "f") == 0);
    CHECK(json_value_get_type(json_object_get_value(o, "z")) == JSONNull);
    CHECK(json_object_get_object(o, "o") != NULL);
    CHECK(json_object_get_array(o, "a") != NULL);
    CHECK(json_object_get_string_len(o, "bin") == 3);
    CHECK(memcmp(json_object_get_string(o, "bin"), "x\0y", 4) == 0);
    CHECK(json_value_get_parent(json_object_get_value(o, "s")) == root);
    CHECK(json_object_get_wrapping_value(json_object_get_object(o, "o")) == json_object_get_value(o, "o"));

    /* Type mismatches and missing names. */
    CHECK(json_object_get_string(o, "n") == NULL);
    CHECK(json_object_get_string_len(o, "n") == 0);
    CHECK(json_object_get_number(o, "s") == 0);
    CHECK(json_object_get_boolean(o, "s") == -1);
    CHECK(json_object_get_boolean(o, "missing") == -1);
    CHECK(json_object_get_object(o, "a") == NULL);
    CHECK(json_object_get_array(o, "o") == NULL);
    CHECK(json_object_get_value(o, "missing") == NULL);
    CHECK(json_object_get_value(o, "S") == NULL);

    /* Names and positions in insertion order. */
    CHECK_STR(json_object_get_name(o, 0), "s");
    CHECK_STR(json_object_get_name(o, 7), "bin");
    CHECK(json_object_get_name(o, 8) == NULL);
    CHECK(json_object_get_value_at(o, 1) == json_object_get_value(o, "n"));
    CHECK(json_object_get_value_at(o, 8) == NULL);

    /* has_value. */
    CHECK(json_object_has_value(o, "s"));
    CHECK(!json_object_has_value(o, "missing"));
    CHECK(json_object_has_value_of_type(o, "s", JSONString));
    CHECK(json_object_has_value_of_type(o, "n", JSONNumber));
    CHECK(json_object_has_value_of_type(o, "t", JSONBoolean));
    CHECK(json_object_has_value_of_type(o, "z", JSONNull));
    CHECK(json_object_has_value_of_type(o, "o", JSONObject));
    CHECK(json_object_has_value_of_type(o, "a", JSONArray));
    CHECK(!json_object_has_value_of_type(o, "s", JSONNumber));
    CHECK(!json_object_has_value_of_type(o, "missing", JSONNull));

    /* Replacing keeps the position and frees the old value (ASan would report a leak otherwise). */
    CHECK(json_object_set_value(o, "o", json_parse_string("{\"deep\":[1,2,{\"x\":\"y\"}]}")) == JSONSuccess);
    CHECK(json_object_set_number(o, "s", 1) == JSONSuccess);
    CHECK(json_object_get_count(o) == 8);
    CHECK_STR(json_object_get_name(o, 0), "s");
    CHECK(json_object_get_number(o, "s") == 1);
    CHECK_STR(serialize_value(root),
              "{\"s\":1,\"n\":2.5,\"t\":true,\"f\":false,\"z\":null,\"o\":{\"deep\":[1,2,{\"x\":\"y\"}]},\"a\":[],"
              "\"bin\":\"x\\u0000y\"}");

    /* Values that already have a parent, or would create a cycle, are rejected and stay owned by
     * the caller. */
    v = json_object_get_value(o, "n");
    CHECK(json_object_set_value(o, "n2", v) == JSONFailure);
    CHECK(json_object_set_value(o, "n", v) == JSONFailure);
    CHECK(json_object_set_value(o, "self", root) == JSONFailure);
    CHECK(json_object_set_value(json_object_get_object(o, "o"), "cycle", root) == JSONFailure);
    CHECK(json_object_dotset_value(o, "o.cycle", root) == JSONFailure);
    v = json_value_init_null();
    CHECK(json_object_set_value(o, "x", v) == JSONSuccess);
    CHECK(json_object_set_value(o, "x", v) == JSONFailure);
    CHECK(json_object_set_value(o, "y", v) == JSONFailure);

    /* NULL arguments and bad input. */
    v = json_value_init_null();
    CHECK(json_object_set_value(NULL, "k", v) == JSONFailure);
    CHECK(json_object_set_value(o, NULL, v) == JSONFailure);
    CHECK(json_object_set_value(o, "bad\xff", v) == JSONFailure);
    json_value_free(v);
    CHECK(json_object_set_value(o, "k", NULL) == JSONFailure);
    CHECK(json_object_set_string(o, "k", NULL) == JSONFailure);
    CHECK(json_object_set_string(o, NULL, "v") == JSONFailure);
    CHECK(json_object_set_string(o, "k", "bad\xc3") == JSONFailure);
    CHECK(json_object_set_string_with_len(o, "k", NULL, 0) == JSONFailure);
    CHECK(json_object_set_string_with_len(NULL, "k", "v", 1) == JSONFailure);
    CHECK(json_object_set_number(o, "k", NAN) == JSONFailure);
    CHECK(json_object_set_number(NULL, "k", 1) == JSONFailure);
    CHECK(json_object_set_boolean(NULL, "k", 1) == JSONFailure);
    CHECK(json_object_set_null(NULL, "k") == JSONFailure);
    CHECK(json_object_set_string(NULL, "k", "v") == JSONFailure);
    CHECK(json_object_set_number(o, NULL, 1) == JSONFailure);
    CHECK(json_object_set_boolean(o, NULL, 1) == JSONFailure);
    CHECK(json_object_set_null(o, NULL) == JSONFailure);
    CHECK(!json_object_has_value(o, "k"));
    CHECK(json_object_get_value(NULL, "s") == NULL);
    CHECK(json_object_get_value(o, NULL) == NULL);
    CHECK(json_object_get_string(NULL, "s") == NULL);
    CHECK(json_object_get_string_len(NULL, "s") == 0);
    CHECK(json_object_get_object(NULL, "o") == NULL);
    CHECK(json_object_get_array(NULL, "a") == NULL);
    CHECK(json_object_get_number(NULL, "n") == 0);
    CHECK(json_object_get_boolean(NULL, "t") == -1);
    CHECK(json_object_get_count(NULL) == 0);
    CHECK(json_object_get_name(NULL, 0) == NULL);
    CHECK(json_object_get_value_at(NULL, 0) == NULL);
    CHECK(json_object_get_wrapping_value(NULL) == NULL);
    CHECK(!json_object_has_value(NULL, "s"));
    CHECK(!json_object_has_value(o, NULL));
    CHECK(!json_object_has_value_of_type(NULL, "s", JSONString));

    json_value_free(root);
}

static void test_object_remove_clear(void)
{
    JSON_Value *root = json_parse_string("{\"a\":1,\"b\":{\"c\":[1,2]},\"c\":3,\"d\":4}");
    JSON_Object *o = json_object(root);

    CHECK(json_object_remove(o, "b") == JSONSuccess);
    CHECK_STR(serialize_value(root), "{\"a\":1,\"c\":3,\"d\":4}"); /* order kept */
    CHECK(json_object_remove(o, "b") == JSONFailure);
    CHECK(json_object_remove(o, "a") == JSONSuccess);
    CHECK(json_object_remove(o, "d") == JSONSuccess);
    CHECK_STR(serialize_value(root), "{\"c\":3}");
    CHECK(json_object_remove(NULL, "c") == JSONFailure);
    CHECK(json_object_remove(o, NULL) == JSONFailure);
    CHECK(json_object_set_number(o, "a", 9) == JSONSuccess);
    CHECK_STR(serialize_value(root), "{\"c\":3,\"a\":9}");

    CHECK(json_object_set_value(o, "big", json_parse_string("[{\"x\":[1,2,3]},{}]")) == JSONSuccess);
    CHECK(json_object_clear(o) == JSONSuccess);
    CHECK(json_object_get_count(o) == 0);
    CHECK_STR(serialize_value(root), "{}");
    CHECK(json_object_clear(o) == JSONSuccess);
    CHECK(json_object_clear(NULL) == JSONFailure);
    CHECK(json_object_set_boolean(o, "after", 1) == JSONSuccess);
    CHECK_STR(serialize_value(root), "{\"after\":true}");
    json_value_free(root);
}

static void test_object_many_members(void)
{
    JSON_Value *root = json_value_init_object();
    JSON_Object *o = json_object(root);
    char name[32];
    int i, ok = 1;
    char *text;
    JSON_Value *parsed;

    for (i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "key%d", i);
        if (json_object_set_number(o, name, i) != JSONSuccess) {
            ok = 0;
        }
    }
    CHECK(ok);
    CHECK(json_object_get_count(o) == 5000);
    for (i = 0, ok = 1; i < 5000; i++) {
        snprintf(name, sizeof(name), "key%d", i);
        if (json_object_get_number(o, name) != i || strcmp(json_object_get_name(o, (size_t)i), name) != 0) {
            ok = 0;
        }
    }
    CHECK(ok);
    /* Replace and remove keep the index consistent. */
    for (i = 0; i < 5000; i += 3) {
        snprintf(name, sizeof(name), "key%d", i);
        if (json_object_remove(o, name) != JSONSuccess) {
            ok = 0;
        }
    }
    CHECK(ok);
    CHECK(json_object_get_count(o) == 5000 - 1667);
    for (i = 0, ok = 1; i < 5000; i++) {
        snprintf(name, sizeof(name), "key%d", i);
        if ((i % 3 == 0) != (json_object_get_value(o, name) == NULL)) {
            ok = 0;
        }
        if (i % 3 != 0 && json_object_get_number(o, name) != i) {
            ok = 0;
        }
    }
    CHECK(ok);
    CHECK_STR(json_object_get_name(o, 0), "key1");
    CHECK_STR(json_object_get_name(o, 1), "key2");
    CHECK_STR(json_object_get_name(o, 2), "key4");
    CHECK(json_object_set_string(o, "key4", "replaced") == JSONSuccess);
    CHECK_STR(json_object_get_name(o, 2), "key4");
    CHECK_STR(json_object_get_string(o, "key4"), "replaced");

    /* A parsed object with many members rejects a late duplicate. */
    text = json_serialize_to_string(root);
    CHECK(text != NULL);
    parsed = json_parse_string(text);
    CHECK(json_value_equals(parsed, root));
    json_value_free(parsed);
    {
        size_t len = strlen(text);
        char *dup = (char *)malloc(len + 32);
        memcpy(dup, text, len - 1);
        strcpy(dup + len - 1, ",\"key2\":0}");
        CHECK(json_parse_string(dup) == NULL);
        strcpy(dup + len - 1, ",\"key3\":0}");
        parsed = json_parse_string(dup);
        CHECK(parsed != NULL && json_object_get_number(json_object(parsed), "key3") == 0);
        json_value_free(parsed);
        free(dup);
    }
    json_free_serialized_string(text);

    CHECK(json_object_clear(o) == JSONSuccess);
    CHECK(json_object_get_value(o, "key1") == NULL);
    for (i = 0; i < 20; i++) {
        snprintf(name, sizeof(name), "again%d", i);
        json_object_set_number(o, name, i);
    }
    CHECK(json_object_get_number(o, "again19") == 19);
    json_value_free(root);
}

static void test_dot_functions(void)
{
    JSON_Value *root = json_parse_string(
        "{\"a\":{\"b\":{\"c\":\"deep\",\"n\":5,\"t\":true,\"arr\":[1],\"obj\":{},\"nul\":null}},\"x\":1,"
        "\"with.dot\":2}");
    JSON_Object *o = json_object(root);
    JSON_Value *v;

    CHECK_STR(json_object_dotget_string(o, "a.b.c"), "deep");
    CHECK(json_object_dotget_string_len(o, "a.b.c") == 4);
    CHECK(json_object_dotget_number(o, "a.b.n") == 5);
    CHECK(json_object_dotget_boolean(o, "a.b.t") == 1);
    CHECK(json_object_dotget_boolean(o, "a.b.n") == -1);
    CHECK(json_object_dotget_array(o, "a.b.arr") != NULL);
    CHECK(json_object_dotget_object(o, "a.b.obj") != NULL);
    CHECK(json_object_dotget_object(o, "a.b") == json_object_get_object(json_object_get_object(o, "a"), "b"));
    CHECK(json_value_get_type(json_object_dotget_value(o, "a.b.nul")) == JSONNull);
    CHECK(json_object_dotget_number(o, "x") == 1);
    CHECK(json_object_dotget_value(o, "with.dot") == NULL); /* dots always split */
    CHECK(json_object_dotget_value(o, "a.b.c.d") == NULL);
    CHECK(json_object_dotget_value(o, "a.missing.c") == NULL);
    CHECK(json_object_dotget_value(o, "x.y") == NULL);
    CHECK(json_object_dotget_value(o, "") == NULL);
    CHECK(json_object_dotget_value(o, ".") == NULL);
    CHECK(json_object_dotget_value(o, "a.") == NULL);
    CHECK(json_object_dotget_value(o, ".a") == NULL);
    CHECK(json_object_dotget_value(NULL, "a") == NULL);
    CHECK(json_object_dotget_value(o, NULL) == NULL);
    CHECK(json_object_dotget_string(o, "a.b.n") == NULL);
    CHECK(json_object_dotget_number(o, "a.b.c") == 0);
    CHECK(json_object_dotget_object(o, "a.b.arr") == NULL);
    CHECK(json_object_dotget_array(o, "a.b.obj") == NULL);
    CHECK(json_object_dotget_string_len(o, "nope") == 0);

    CHECK(json_object_dothas_value(o, "a.b.c"));
    CHECK(!json_object_dothas_value(o, "a.b.zz"));
    CHECK(json_object_dothas_value_of_type(o, "a.b.obj", JSONObject));
    CHECK(json_object_dothas_value_of_type(o, "a.b.arr", JSONArray));
    CHECK(json_object_dothas_value_of_type(o, "a.b.nul", JSONNull));
    CHECK(!json_object_dothas_value_of_type(o, "a.b.nul", JSONString));
    CHECK(!json_object_dothas_value_of_type(NULL, "a", JSONObject));

    /* dotset creates intermediate objects and replaces existing values. */
    CHECK(json_object_dotset_string(o, "p.q.r", "new") == JSONSuccess);
    CHECK_STR(json_object_dotget_string(o, "p.q.r"), "new");
    CHECK(json_object_dotset_number(o, "p.q.n", 3) == JSONSuccess);
    CHECK(json_object_dotset_boolean(o, "p.b", 0) == JSONSuccess);
    CHECK(json_object_dotset_null(o, "p.z") == JSONSuccess);
    CHECK(json_object_dotset_string_with_len(o, "p.bin", "a\0", 2) == JSONSuccess);
    CHECK(json_object_dotset_value(o, "p.v", json_value_init_array()) == JSONSuccess);
    CHECK(json_object_dotset_number(o, "a.b.n", 6) == JSONSuccess);
    CHECK(json_object_dotset_string(o, "top", "level") == JSONSuccess);
    CHECK_STR(serialize_value(json_object_get_value(o, "p")),
              "{\"q\":{\"r\":\"new\",\"n\":3},\"b\":false,\"z\":null,\"bin\":\"a\\u0000\",\"v\":[]}");
    CHECK(json_object_dotget_number(o, "a.b.n") == 6);
    CHECK_STR(json_object_get_string(o, "top"), "level");

    /* An intermediate that is not an object makes dotset fail without side effects. */
    CHECK(json_object_dotset_number(o, "x.y", 1) == JSONFailure);
    CHECK(json_object_dotset_number(o, "a.b.c.d", 1) == JSONFailure);
    CHECK(json_object_dotset_number(o, "new1.new2.x.y", 1) == JSONSuccess);
    CHECK(json_object_dotset_number(o, "new1.new2.x.y.z", 1) == JSONFailure);
    CHECK(json_object_dotset_number(o, "fresh.a.b", NAN) == JSONFailure);
    CHECK(!json_object_has_value(o, "fresh"));
    v = json_value_init_null();
    CHECK(json_object_set_value(o, "owned", v) == JSONSuccess);
    CHECK(json_object_dotset_value(o, "fresh2.k", v) == JSONFailure);
    CHECK(!json_object_has_value(o, "fresh2"));
    CHECK(json_object_dotset_value(o, "fresh3.k", NULL) == JSONFailure);
    CHECK(json_object_dotset_string(o, "fresh4.k", NULL) == JSONFailure);
    CHECK(json_object_dotset_string(o, "fresh5.k\xff", "v") == JSONFailure);
    CHECK(!json_object_has_value(o, "fresh3") && !json_object_has_value(o, "fresh4") &&
          !json_object_has_value(o, "fresh5"));
    CHECK(json_object_dotset_value(NULL, "a", NULL) == JSONFailure);
    CHECK(json_object_dotset_string(NULL, "a", "b") == JSONFailure);
    CHECK(json_object_dotset_string(o, NULL, "b") == JSONFailure);
    CHECK(json_object_dotset_string_with_len(NULL, "a", "b", 1) == JSONFailure);
    CHECK(json_object_dotset_number(NULL, "a", 1) == JSONFailure);
    CHECK(json_object_dotset_boolean(NULL, "a", 1) == JSONFailure);
    CHECK(json_object_dotset_null(NULL, "a") == JSONFailure);
    CHECK(json_object_dotset_number(o, NULL, 1) == JSONFailure);
    CHECK(json_object_dotset_boolean(o, NULL, 1) == JSONFailure);
    CHECK(json_object_dotset_null(o, NULL) == JSONFailure);
    v = json_value_init_object();
    CHECK(json_object_dotset_value(json_object(v), "self.loop", v) == JSONFailure);
    CHECK(json_object_get_count(json_object(v)) == 0);
    json_value_free(v);

    /* Empty segments are plain (empty) names. */
    CHECK(json_object_dotset_number(o, "e..f", 7) == JSONSuccess);
    CHECK(json_object_dotget_number(o, "e..f") == 7);
    CHECK(json_object_has_value(json_object_get_object(o, "e"), ""));

    /* dotremove. */
    CHECK(json_object_dotremove(o, "a.b.c") == JSONSuccess);
    CHECK(!json_object_dothas_value(o, "a.b.c"));
    CHECK(json_object_dotremove(o, "a.b.c") == JSONFailure);
    CHECK(json_object_dotremove(o, "x.y") == JSONFailure);
    CHECK(json_object_dotremove(o, "p") == JSONSuccess);
    CHECK(!json_object_has_value(o, "p"));
    CHECK(json_object_dotremove(NULL, "a") == JSONFailure);
    CHECK(json_object_dotremove(o, NULL) == JSONFailure);

    json_value_free(root);
}

/* ---------------------------------------------------------------------------------------------- */
/* Arrays                                                                                         */

static void test_arrays(void)
{
    JSON_Value *root = json_value_init_array();
    JSON_Array *a = json_value_get_array(root);
    JSON_Value *v;

    CHECK(a != NULL);
    CHECK(json_array_get_wrapping_value(a) == root);
    CHECK(json_array_get_count(a) == 0);
    CHECK(json_array_append_string(a, "s") == JSONSuccess);
    CHECK(json_array_append_number(a, -3) == JSONSuccess);
    CHECK(json_array_append_boolean(a, 2) == JSONSuccess);
    CHECK(json_array_append_null(a) == JSONSuccess);
    CHECK(json_array_append_value(a, json_value_init_object()) == JSONSuccess);
    CHECK(json_array_append_value(a, json_value_init_array()) == JSONSuccess);
    CHECK(json_array_append_string_with_len(a, "\0\0", 2) == JSONSuccess);
    CHECK(json_array_get_count(a) == 7);
    CHECK_STR(serialize_value(root), "[\"s\",-3,true,null,{},[],\"\\u0000\\u0000\"]");

    CHECK_STR(json_array_get_string(a, 0), "s");
    CHECK(json_array_get_string_len(a, 0) == 1);
    CHECK(json_array_get_string_len(a, 6) == 2);
    CHECK(json_array_get_number(a, 1) == -3);
    CHECK(json_array_get_boolean(a, 2) == 1);
    CHECK(json_value_get_type(json_array_get_value(a, 3)) == JSONNull);
    CHECK(json_array_get_object(a, 4) != NULL);
    CHECK(json_array_get_array(a, 5) != NULL);
    CHECK(json_value_get_parent(json_array_get_value(a, 4)) == root);
    CHECK(json_array_get_wrapping_value(json_array_get_array(a, 5)) == json_array_get_value(a, 5));

    /* Mismatches, out of range, NULL. */
    CHECK(json_array_get_string(a, 1) == NULL);
    CHECK(json_array_get_number(a, 0) == 0);
    CHECK(json_array_get_boolean(a, 0) == -1);
    CHECK(json_array_get_boolean(a, 100) == -1);
    CHECK(json_array_get_object(a, 5) == NULL);
    CHECK(json_array_get_array(a, 4) == NULL);
    CHECK(json_array_get_value(a, 7) == NULL);
    CHECK(json_array_get_value(a, (size_t)-1) == NULL);
    CHECK(json_array_get_value(NULL, 0) == NULL);
    CHECK(json_array_get_string(NULL, 0) == NULL);
    CHECK(json_array_get_string_len(NULL, 0) == 0);
    CHECK(json_array_get_object(NULL, 0) == NULL);
    CHECK(json_array_get_array(NULL, 0) == NULL);
    CHECK(json_array_get_number(NULL, 0) == 0);
    CHECK(json_array_get_boolean(NULL, 0) == -1);
    CHECK(json_array_get_count(NULL) == 0);
    CHECK(json_array_get_wrapping_value(NULL) == NULL);

    /* Replace. */
    CHECK(json_array_replace_string(a, 1, "two") == JSONSuccess);
    CHECK(json_array_replace_number(a, 0, 1.25) == JSONSuccess);
    CHECK(json_array_replace_boolean(a, 3, 0) == JSONSuccess);
    CHECK(json_array_replace_null(a, 2) == JSONSuccess);
    CHECK(json_array_replace_value(a, 4, json_parse_string("{\"k\":[1]}")) == JSONSuccess);
    CHECK(json_array_replace_string_with_len(a, 6, "z\0", 2) == JSONSuccess);
    CHECK_STR(serialize_value(root), "[1.25,\"two\",null,false,{\"k\":[1]},[],\"z\\u0000\"]");
    CHECK(json_array_replace_string(a, 7, "x") == JSONFailure);
    CHECK(json_array_replace_number(a, 7, 1) == JSONFailure);
    CHECK(json_array_replace_boolean(a, 7, 1) == JSONFailure);
    CHECK(json_array_replace_null(a, 7) == JSONFailure);
    CHECK(json_array_replace_string_with_len(a, 7, "x", 1) == JSONFailure);
    CHECK(json_array_replace_string(a, 0, NULL) == JSONFailure);
    CHECK(json_array_replace_string(a, 0, "\xff") == JSONFailure);
    CHECK(json_array_replace_number(a, 0, INFINITY) == JSONFailure);
    CHECK(json_array_replace_value(a, 0, NULL) == JSONFailure);
    CHECK(json_array_replace_string(NULL, 0, "x") == JSONFailure);
    CHECK(json_array_replace_number(NULL, 0, 1) == JSONFailure);
    CHECK(json_array_replace_boolean(NULL, 0, 1) == JSONFailure);
    CHECK(json_array_replace_null(NULL, 0) == JSONFailure);
    CHECK(json_array_replace_string_with_len(NULL, 0, "x", 1) == JSONFailure);
    v = json_value_init_null();
    CHECK(json_array_replace_value(NULL, 0, v) == JSONFailure);
    CHECK(json_array_replace_value(a, 99, v) == JSONFailure);
    CHECK(json_array_replace_value(a, 0, v) == JSONSuccess);
    CHECK(json_array_replace_value(a, 0, v) == JSONFailure); /* already has a parent */
    CHECK(json_array_replace_value(a, 1, v) == JSONFailure);
    CHECK(json_array_replace_value(json_array_get_array(a, 5), 0, root) == JSONFailure);

    /* Append errors. */
    CHECK(json_array_append_value(a, v) == JSONFailure);
    CHECK(json_array_append_value(a, root) == JSONFailure);
    CHECK(json_array_append_value(json_array_get_array(a, 5), root) == JSONFailure);
    CHECK(json_array_append_value(a, NULL) == JSONFailure);
    CHECK(json_array_append_value(NULL, NULL) == JSONFailure);
    CHECK(json_array_append_string(a, NULL) == JSONFailure);
    CHECK(json_array_append_string(a, "\xc3") == JSONFailure);
    CHECK(json_array_append_string(NULL, "x") == JSONFailure);
    CHECK(json_array_append_string_with_len(NULL, "x", 1) == JSONFailure);
    CHECK(json_array_append_string_with_len(a, NULL, 1) == JSONFailure);
    CHECK(json_array_append_number(NULL, 1) == JSONFailure);
    CHECK(json_array_append_number(a, NAN) == JSONFailure);
    CHECK(json_array_append_boolean(NULL, 1) == JSONFailure);
    CHECK(json_array_append_null(NULL) == JSONFailure);
    CHECK(json_array_get_count(a) == 7);

    /* Remove keeps the order. */
    CHECK(json_array_remove(a, 0) == JSONSuccess);
    CHECK_STR(serialize_value(root), "[\"two\",null,false,{\"k\":[1]},[],\"z\\u0000\"]");
    CHECK(json_array_remove(a, 2) == JSONSuccess);
    CHECK(json_array_remove(a, 3) == JSONSuccess);
    CHECK_STR(serialize_value(root), "[\"two\",null,{\"k\":[1]},\"z\\u0000\"]");
    CHECK(json_array_remove(a, 4) == JSONFailure);
    CHECK(json_array_remove(NULL, 0) == JSONFailure);

    /* Clear, then reuse. */
    CHECK(json_array_clear(a) == JSONSuccess);
    CHECK(json_array_get_count(a) == 0);
    CHECK(json_array_clear(NULL) == JSONFailure);
    CHECK(json_array_append_number(a, 1) == JSONSuccess);
    CHECK_STR(serialize_value(root), "[1]");

    {
        int i, ok = 1;
        for (i = 0; i < 10000; i++) {
            if (json_array_append_number(a, i) != JSONSuccess) {
                ok = 0;
            }
        }
        CHECK(ok);
        CHECK(json_array_get_count(a) == 10001);
        CHECK(json_array_get_number(a, 10000) == 9999);
    }
    json_value_free(root);
}

/* ---------------------------------------------------------------------------------------------- */
/* Values                                                                                         */

static void test_values(void)
{
    JSON_Value *v;
    JSON_Value *root;
    JSON_Value *child;

    v = json_value_init_null();
    CHECK(json_value_get_type(v) == JSONNull && json_type(v) == JSONNull);
    json_value_free(v);
    v = json_value_init_boolean(5);
    CHECK(json_value_get_type(v) == JSONBoolean);
    CHECK(json_value_get_boolean(v) == 1 && json_boolean(v) == 1);
    CHECK(json_value_get_number(v) == 0 && json_number(v) == 0);
    CHECK(json_value_get_string(v) == NULL && json_string(v) == NULL);
    CHECK(json_value_get_object(v) == NULL && json_object(v) == NULL);
    CHECK(json_value_get_array(v) == NULL && json_array(v) == NULL);
    CHECK(json_value_get_string_len(v) == 0 && json_string_len(v) == 0);
    json_value_free(v);
    v = json_value_init_boolean(0);
    CHECK(json_value_get_boolean(v) == 0);
    json_value_free(v);
    v = json_value_init_number(-7.5);
    CHECK(json_value_get_type(v) == JSONNumber && json_number(v) == -7.5);
    CHECK(json_value_get_boolean(v) == -1 && json_boolean(v) == -1);
    json_value_free(v);
    v = json_value_init_string("hi");
    CHECK(json_value_get_type(v) == JSONString);
    CHECK_STR(json_value_get_string(v), "hi");
    CHECK_STR(json_string(v), "hi");
    CHECK(json_value_get_string_len(v) == 2);
    json_value_free(v);
    v = json_value_init_object();
    CHECK(json_value_get_type(v) == JSONObject && json_object(v) == json_value_get_object(v));
    json_value_free(v);
    v = json_value_init_array();
    CHECK(json_value_get_type(v) == JSONArray && json_array(v) == json_value_get_array(v));
    json_value_free(v);

    CHECK(json_value_get_type(NULL) == JSONError);
    CHECK(json_type(NULL) == JSONError);
    CHECK(json_value_get_object(NULL) == NULL);
    CHECK(json_value_get_array(NULL) == NULL);
    CHECK(json_value_get_string(NULL) == NULL);
    CHECK(json_value_get_string_len(NULL) == 0);
    CHECK(json_value_get_number(NULL) == 0);
    CHECK(json_value_get_boolean(NULL) == -1);
    CHECK(json_value_get_parent(NULL) == NULL);
    CHECK(json_object(NULL) == NULL && json_array(NULL) == NULL && json_string(NULL) == NULL);
    CHECK(json_number(NULL) == 0 && json_boolean(NULL) == -1 && json_string_len(NULL) == 0);
    json_value_free(NULL);

    /* Deep copy: equal, independent, parentless. */
    root = json_parse_string("{\"a\":[1,\"two\",{\"three\":3}],\"b\":{\"c\":null,\"d\":true},\"s\":\"x\\u0000y\"}");
    v = json_value_deep_copy(json_object_get_value(json_object(root), "a"));
    CHECK(v != NULL && json_value_get_parent(v) == NULL);
    CHECK_STR(serialize_value(v), "[1,\"two\",{\"three\":3}]");
    json_value_free(v);
    v = json_value_deep_copy(root);
    CHECK(json_value_equals(root, v));
    CHECK_STR(serialize_value(v), "{\"a\":[1,\"two\",{\"three\":3}],\"b\":{\"c\":null,\"d\":true},\"s\":\"x\\u0000y\"}");
    CHECK(json_object_dotset_number(json_object(v), "b.d", 1) == JSONSuccess);
    CHECK(!json_value_equals(root, v));
    CHECK(json_object_dotget_boolean(json_object(root), "b.d") == 1);
    json_value_free(v);
    CHECK(json_value_deep_copy(NULL) == NULL);

    /* Freeing a value that still has a parent removes it from the parent first. */
    child = json_object_get_value(json_object(root), "b");
    json_value_free(child);
    CHECK(!json_object_has_value(json_object(root), "b"));
    CHECK_STR(serialize_value(root), "{\"a\":[1,\"two\",{\"three\":3}],\"s\":\"x\\u0000y\"}");
    child = json_array_get_value(json_object_get_array(json_object(root), "a"), 1);
    json_value_free(child);
    CHECK_STR(serialize_value(root), "{\"a\":[1,{\"three\":3}],\"s\":\"x\\u0000y\"}");
    json_value_free(root);
}

static void test_equals(void)
{
    static const struct {
        const char *a;
        const char *b;
        int equal;
    } cases[] = {
        {"{\"a\":1,\"b\":[1,2]}", "{\"b\":[1,2],\"a\":1}", 1}, /* member order does not matter */
        {"[1,2]", "[2,1]", 0},
        {"[1,2]", "[1,2,3]", 0},
        {"{\"a\":1}", "{\"a\":1,\"b\":2}", 0},
        {"{\"a\":1}", "{\"b\":1}", 0},
        {"1", "1.0000000001", 1}, /* within 0.000001, as parson */
        {"1", "1.001", 0},
        {"\"a\\u0000b\"", "\"a\\u0000c\"", 0},
        {"\"a\\u0000b\"", "\"a\\u0000b\"", 1},
        {"\"a\"", "\"a\\u0000\"", 0},
        {"true", "true", 1},
        {"true", "false", 0},
        {"null", "null", 1},
        {"null", "false", 0},
        {"\"1\"", "1", 0},
        {"{}", "[]", 0},
        {"{\"x\":{\"y\":[{}]}}", "{\"x\":{\"y\":[{}]}}", 1},
    };
    size_t i;
    JSON_Value *v;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        JSON_Value *a = json_parse_string(cases[i].a);
        JSON_Value *b = json_parse_string(cases[i].b);
        CHECK(a != NULL && b != NULL);
        CHECK(json_value_equals(a, b) == cases[i].equal);
        CHECK(json_value_equals(b, a) == cases[i].equal);
        json_value_free(a);
        json_value_free(b);
    }
    v = json_value_init_null();
    CHECK(json_value_equals(NULL, NULL) == 1); /* as parson */
    CHECK(json_value_equals(v, NULL) == 0);
    CHECK(json_value_equals(NULL, v) == 0);
    CHECK(json_value_equals(v, v) == 1);
    json_value_free(v);
}

static void test_validate(void)
{
    static const struct {
        const char *schema;
        const char *value;
        JSON_Status result;
    } cases[] = {
        {"{\"name\":\"\",\"age\":0,\"tags\":[\"\"],\"any\":null}",
         "{\"name\":\"x\",\"age\":3,\"tags\":[\"a\",\"b\"],\"any\":[1],\"extra\":true}", JSONSuccess},
        {"{\"name\":\"\",\"age\":0}", "{\"name\":\"x\",\"age\":\"3\"}", JSONFailure},
        {"{\"name\":\"\",\"age\":0}", "{\"name\":\"x\"}", JSONFailure},
        {"{\"name\":\"\",\"age\":0}", "{\"name\":\"x\",\"other\":1}", JSONFailure},
        {"{\"tags\":[\"\"]}", "{\"tags\":[\"a\",1]}", JSONFailure},
        {"{\"tags\":[\"\"]}", "{\"tags\":[]}", JSONSuccess},
        {"{}", "{\"anything\":1}", JSONSuccess},
        {"{}", "[]", JSONFailure},
        {"[]", "[1,\"a\",{}]", JSONSuccess},
        {"[{\"k\":true}]", "[{\"k\":false},{\"k\":true,\"j\":1}]", JSONSuccess},
        {"[{\"k\":true}]", "[{\"k\":false},{\"j\":1}]", JSONFailure},
        {"null", "{\"x\":1}", JSONSuccess},
        {"null", "null", JSONSuccess},
        {"1", "2", JSONSuccess},
        {"1", "\"2\"", JSONFailure},
        {"true", "false", JSONSuccess},
        {"\"\"", "\"s\"", JSONSuccess},
        {"\"\"", "null", JSONFailure},
    };
    size_t i;
    JSON_Value *v;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        JSON_Value *schema = json_parse_string(cases[i].schema);
        JSON_Value *value = json_parse_string(cases[i].value);
        CHECK(schema != NULL && value != NULL);
        if (json_validate(schema, value) != cases[i].result) {
            fprintf(stderr, "validate case %zu\n", i);
        }
        CHECK(json_validate(schema, value) == cases[i].result);
        json_value_free(schema);
        json_value_free(value);
    }
    v = json_value_init_null();
    CHECK(json_validate(NULL, v) == JSONFailure);
    CHECK(json_validate(v, NULL) == JSONFailure);
    CHECK(json_validate(NULL, NULL) == JSONFailure);
    json_value_free(v);
}

/* Trees deeper than the nesting limit can be built through the API; they must be freed without
 * recursion and refused (not crash) by the recursive operations. */
static void test_programmatic_deep_tree(void)
{
    JSON_Value *root = json_value_init_array();
    JSON_Array *cur = json_array(root);
    JSON_Value *copy;
    int i;
    for (i = 0; i < 10000; i++) {
        if (i % 2 == 0) {
            JSON_Value *obj = json_value_init_object();
            JSON_Value *arr = json_value_init_array();
            json_array_append_value(cur, obj);
            json_object_set_value(json_object(obj), "k", arr);
            cur = json_array(arr);
        } else {
            JSON_Value *arr = json_value_init_array();
            json_array_append_value(cur, arr);
            cur = json_array(arr);
        }
    }
    CHECK(json_serialization_size(root) == 0);
    CHECK(json_serialize_to_string(root) == NULL);
    CHECK(json_serialize_to_string_pretty(root) == NULL);
    copy = json_value_deep_copy(root);
    CHECK(copy == NULL);
    CHECK(json_value_equals(root, root) == 0);
    CHECK(json_validate(root, root) == JSONFailure);
    json_value_free(root);
}

/* ---------------------------------------------------------------------------------------------- */
/* Allocation failures                                                                            */

static const char *oom_doc =
    "{\"name\":\"gateway\",\"modules\":[{\"name\":\"logger\",\"args\":{\"filename\":\"log.txt\"}},"
    "{\"name\":\"hello\",\"loader\":{\"name\":\"native\",\"entrypoint\":{\"module.path\":\"x.so\"}}}],"
    "\"n\":[1,2.5,-3e5,true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"],\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,"
    "\"k4\":4,\"k5\":5,\"k6\":6,\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10}";

static void test_allocation_failures(void)
{
    long n;
    int saw_success;
    JSON_Value *reference = json_parse_string(oom_doc);
    char *reference_text = json_serialize_to_string(reference);
    long base = live_allocations;

    /* Parse. */
    for (n = 0, saw_success = 0; n < 10000 && !saw_success; n++) {
        JSON_Value *v;
        fail_after = n;
        v = json_parse_string(oom_doc);
        fail_after = -1;
        if (v != NULL) {
            saw_success = 1;
            CHECK(json_value_equals(v, reference));
            json_value_free(v);
        }
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);

    /* Serialize, compact and pretty, and deep copy. */
    for (n = 0, saw_success = 0; n < 10000 && !saw_success; n++) {
        char *s;
        fail_after = n;
        s = json_serialize_to_string(reference);
        fail_after = -1;
        if (s != NULL) {
            saw_success = 1;
            CHECK_STR(s, reference_text);
            json_free_serialized_string(s);
        }
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);
    json_set_float_serialization_format("%.100f"); /* needs a heap buffer per number */
    for (n = 0, saw_success = 0; n < 10000 && !saw_success; n++) {
        char *s;
        fail_after = n;
        s = json_serialize_to_string_pretty(reference);
        fail_after = -1;
        if (s != NULL) {
            saw_success = 1;
            json_free_serialized_string(s);
        }
        CHECK(live_allocations == base);
    }
    json_set_float_serialization_format(NULL);
    CHECK(saw_success);
    for (n = 0, saw_success = 0; n < 10000 && !saw_success; n++) {
        JSON_Value *copy;
        fail_after = n;
        copy = json_value_deep_copy(reference);
        fail_after = -1;
        if (copy != NULL) {
            saw_success = 1;
            CHECK(json_value_equals(copy, reference));
            json_value_free(copy);
        }
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);

    /* Setters leave the tree unchanged when they fail. */
    for (n = 0, saw_success = 0; n < 1000 && !saw_success; n++) {
        JSON_Value *copy = json_value_deep_copy(reference);
        long before = live_allocations;
        JSON_Status st;
        fail_after = n;
        st = json_object_dotset_string(json_object(copy), "new.deeper.deepest", "v");
        fail_after = -1;
        if (st == JSONSuccess) {
            saw_success = 1;
            CHECK_STR(json_object_dotget_string(json_object(copy), "new.deeper.deepest"), "v");
        } else {
            CHECK(live_allocations == before);
            CHECK(json_value_equals(copy, reference));
            CHECK(json_object_get_count(json_object(copy)) == json_object_get_count(json_object(reference)));
        }
        json_value_free(copy);
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);
    for (n = 0, saw_success = 0; n < 1000 && !saw_success; n++) {
        JSON_Value *copy = json_value_deep_copy(reference);
        JSON_Status st1, st2, st3;
        fail_after = n;
        st1 = json_object_set_string(json_object(copy), "k11", "eleven");
        st2 = json_array_append_string(json_object_get_array(json_object(copy), "n"), "more");
        st3 = json_object_set_number(json_object(copy), "k0", 100);
        fail_after = -1;
        saw_success = st1 == JSONSuccess && st2 == JSONSuccess && st3 == JSONSuccess;
        json_value_free(copy);
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);

    /* Files. */
    write_file(temp_path("oom.json"), oom_doc, strlen(oom_doc));
    for (n = 0, saw_success = 0; n < 10000 && !saw_success; n++) {
        JSON_Value *v;
        JSON_Status st;
        fail_after = n;
        v = json_parse_file_with_comments(temp_path("oom.json"));
        st = v != NULL ? json_serialize_to_file(v, temp_path("oom_out.json")) : JSONFailure;
        fail_after = -1;
        if (st == JSONSuccess) {
            saw_success = 1;
            CHECK_STR(read_text_file(temp_path("oom_out.json")), reference_text);
        }
        json_value_free(v);
        CHECK(live_allocations == base);
    }
    CHECK(saw_success);

    json_free_serialized_string(reference_text);
    json_value_free(reference);
}

static void test_allocator_hooks(void)
{
    long before_total = total_allocations;
    JSON_Value *v = json_parse_string("{\"a\":[1,2,3]}");
    char *s = json_serialize_to_string(v);
    CHECK(total_allocations > before_total); /* the installed allocator is used */
    json_free_serialized_string(s);
    json_value_free(v);

    /* NULL restores the C library allocator. */
    json_set_allocation_functions(NULL, NULL);
    before_total = total_allocations;
    v = json_parse_string("[1]");
    CHECK(v != NULL);
    CHECK(total_allocations == before_total);
    json_value_free(v);
    json_set_allocation_functions(test_malloc, test_free);
}

/* A larger document: parse, serialize, reparse, compare. */
static void test_round_trip_large(void)
{
    JSON_Value *root = json_value_init_object();
    JSON_Object *o = json_object(root);
    char name[64];
    char *text;
    char *pretty;
    JSON_Value *back;
    int i;
    for (i = 0; i < 300; i++) {
        JSON_Value *item = json_value_init_object();
        JSON_Object *io = json_object(item);
        snprintf(name, sizeof(name), "item \"%d\" / \xC3\xA9", i);
        json_object_set_number(io, "i", i);
        json_object_set_number(io, "half", i / 2.0);
        json_object_set_number(io, "third", i / 3.0);
        json_object_set_string(io, "name", name);
        json_object_dotset_boolean(io, "flags.even", i % 2 == 0);
        json_object_set_value(o, name, item);
    }
    text = json_serialize_to_string(root);
    pretty = json_serialize_to_string_pretty(root);
    back = json_parse_string(text);
    CHECK(json_value_equals(root, back));
    CHECK_STR(serialize_value(back), text);
    json_value_free(back);
    back = json_parse_string(pretty);
    CHECK(json_value_equals(root, back));
    CHECK(json_object_dotget_number(json_object_get_object(json_object(back), "item \"299\" / \xC3\xA9"), "third") ==
          299 / 3.0);
    json_value_free(back);
    json_free_serialized_string(text);
    json_free_serialized_string(pretty);
    json_value_free(root);
}

int main(void)
{
    char template_dir[] = "/tmp/test_json_XXXXXX";
    const char *tmp = getenv("TMPDIR");
    char *dir;
    if (tmp != NULL && *tmp != '\0' && strlen(tmp) < 200) {
        snprintf(temp_dir, sizeof(temp_dir), "%s/test_json_XXXXXX", tmp);
        dir = mkdtemp(temp_dir);
    } else {
        dir = mkdtemp(template_dir);
        if (dir != NULL) {
            snprintf(temp_dir, sizeof(temp_dir), "%s", dir);
        }
    }
    if (dir == NULL) {
        perror("mkdtemp");
        return 2;
    }

    json_set_allocation_functions(test_malloc, test_free);

    test_parse_valid();
    test_parse_invalid();
    test_parse_strings_with_nul();
    test_nesting_limit();
    test_comments();
    test_number_format();
    test_string_serialization();
    test_serialize_api();
    test_parse_file();
    test_object_get_set();
    test_object_remove_clear();
    test_object_many_members();
    test_dot_functions();
    test_arrays();
    test_values();
    test_equals();
    test_validate();
    test_programmatic_deep_tree();
    test_allocation_failures();
    test_allocator_hooks();
    test_round_trip_large();

    CHECK(live_allocations == 0);

    {
        static const char *files[] = {"compact.json", "pretty.json", "a.json", "c.json", "empty.json", "nul.json",
                                      "nulstr.json", "nultail.json", "big.json", "oom.json", "oom_out.json"};
        size_t i;
        for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            remove(temp_path(files[i]));
        }
        rmdir(temp_dir);
    }

    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    return tests_failed == 0 ? 0 : 1;
}
