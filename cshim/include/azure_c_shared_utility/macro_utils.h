/* macro_utils.h - preprocessor helpers used by the SDK headers: token pasting,
 * enums with string conversion (DEFINE_ENUM / DEFINE_ENUM_STRINGS / ENUM_TO_STRING).
 * Supports enums of up to 64 values. Generated layout, hand-maintained. */
#ifndef MACRO_UTILS_H
#define MACRO_UTILS_H

#include <string.h>

#define TOSTRING_(x) #x
#define TOSTRING(x) TOSTRING_(x)
#define C2_(x, y) x##y
#define C2(x, y) C2_(x, y)
#define C3(x, y, z) C2(x, C2(y, z))
#define IFCOMMA(N)
#define EXPAND(x) x
#define NOEXPAND(x) x
#define MU_UNUSED(x) ((void)(x))
#define COUNT_ARG(...) MU_COUNT_(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
#define MU_COUNT_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33, _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51, _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, N, ...) N

#define FOR_EACH_1(F, ...) C2(MU_FE_, COUNT_ARG(__VA_ARGS__))(F, __VA_ARGS__)
#define MU_FE_1(F, x) F(x)
#define MU_FE_2(F, x, ...) F(x) MU_FE_1(F, __VA_ARGS__)
#define MU_FE_3(F, x, ...) F(x) MU_FE_2(F, __VA_ARGS__)
#define MU_FE_4(F, x, ...) F(x) MU_FE_3(F, __VA_ARGS__)
#define MU_FE_5(F, x, ...) F(x) MU_FE_4(F, __VA_ARGS__)
#define MU_FE_6(F, x, ...) F(x) MU_FE_5(F, __VA_ARGS__)
#define MU_FE_7(F, x, ...) F(x) MU_FE_6(F, __VA_ARGS__)
#define MU_FE_8(F, x, ...) F(x) MU_FE_7(F, __VA_ARGS__)
#define MU_FE_9(F, x, ...) F(x) MU_FE_8(F, __VA_ARGS__)
#define MU_FE_10(F, x, ...) F(x) MU_FE_9(F, __VA_ARGS__)
#define MU_FE_11(F, x, ...) F(x) MU_FE_10(F, __VA_ARGS__)
#define MU_FE_12(F, x, ...) F(x) MU_FE_11(F, __VA_ARGS__)
#define MU_FE_13(F, x, ...) F(x) MU_FE_12(F, __VA_ARGS__)
#define MU_FE_14(F, x, ...) F(x) MU_FE_13(F, __VA_ARGS__)
#define MU_FE_15(F, x, ...) F(x) MU_FE_14(F, __VA_ARGS__)
#define MU_FE_16(F, x, ...) F(x) MU_FE_15(F, __VA_ARGS__)
#define MU_FE_17(F, x, ...) F(x) MU_FE_16(F, __VA_ARGS__)
#define MU_FE_18(F, x, ...) F(x) MU_FE_17(F, __VA_ARGS__)
#define MU_FE_19(F, x, ...) F(x) MU_FE_18(F, __VA_ARGS__)
#define MU_FE_20(F, x, ...) F(x) MU_FE_19(F, __VA_ARGS__)
#define MU_FE_21(F, x, ...) F(x) MU_FE_20(F, __VA_ARGS__)
#define MU_FE_22(F, x, ...) F(x) MU_FE_21(F, __VA_ARGS__)
#define MU_FE_23(F, x, ...) F(x) MU_FE_22(F, __VA_ARGS__)
#define MU_FE_24(F, x, ...) F(x) MU_FE_23(F, __VA_ARGS__)
#define MU_FE_25(F, x, ...) F(x) MU_FE_24(F, __VA_ARGS__)
#define MU_FE_26(F, x, ...) F(x) MU_FE_25(F, __VA_ARGS__)
#define MU_FE_27(F, x, ...) F(x) MU_FE_26(F, __VA_ARGS__)
#define MU_FE_28(F, x, ...) F(x) MU_FE_27(F, __VA_ARGS__)
#define MU_FE_29(F, x, ...) F(x) MU_FE_28(F, __VA_ARGS__)
#define MU_FE_30(F, x, ...) F(x) MU_FE_29(F, __VA_ARGS__)
#define MU_FE_31(F, x, ...) F(x) MU_FE_30(F, __VA_ARGS__)
#define MU_FE_32(F, x, ...) F(x) MU_FE_31(F, __VA_ARGS__)
#define MU_FE_33(F, x, ...) F(x) MU_FE_32(F, __VA_ARGS__)
#define MU_FE_34(F, x, ...) F(x) MU_FE_33(F, __VA_ARGS__)
#define MU_FE_35(F, x, ...) F(x) MU_FE_34(F, __VA_ARGS__)
#define MU_FE_36(F, x, ...) F(x) MU_FE_35(F, __VA_ARGS__)
#define MU_FE_37(F, x, ...) F(x) MU_FE_36(F, __VA_ARGS__)
#define MU_FE_38(F, x, ...) F(x) MU_FE_37(F, __VA_ARGS__)
#define MU_FE_39(F, x, ...) F(x) MU_FE_38(F, __VA_ARGS__)
#define MU_FE_40(F, x, ...) F(x) MU_FE_39(F, __VA_ARGS__)
#define MU_FE_41(F, x, ...) F(x) MU_FE_40(F, __VA_ARGS__)
#define MU_FE_42(F, x, ...) F(x) MU_FE_41(F, __VA_ARGS__)
#define MU_FE_43(F, x, ...) F(x) MU_FE_42(F, __VA_ARGS__)
#define MU_FE_44(F, x, ...) F(x) MU_FE_43(F, __VA_ARGS__)
#define MU_FE_45(F, x, ...) F(x) MU_FE_44(F, __VA_ARGS__)
#define MU_FE_46(F, x, ...) F(x) MU_FE_45(F, __VA_ARGS__)
#define MU_FE_47(F, x, ...) F(x) MU_FE_46(F, __VA_ARGS__)
#define MU_FE_48(F, x, ...) F(x) MU_FE_47(F, __VA_ARGS__)
#define MU_FE_49(F, x, ...) F(x) MU_FE_48(F, __VA_ARGS__)
#define MU_FE_50(F, x, ...) F(x) MU_FE_49(F, __VA_ARGS__)
#define MU_FE_51(F, x, ...) F(x) MU_FE_50(F, __VA_ARGS__)
#define MU_FE_52(F, x, ...) F(x) MU_FE_51(F, __VA_ARGS__)
#define MU_FE_53(F, x, ...) F(x) MU_FE_52(F, __VA_ARGS__)
#define MU_FE_54(F, x, ...) F(x) MU_FE_53(F, __VA_ARGS__)
#define MU_FE_55(F, x, ...) F(x) MU_FE_54(F, __VA_ARGS__)
#define MU_FE_56(F, x, ...) F(x) MU_FE_55(F, __VA_ARGS__)
#define MU_FE_57(F, x, ...) F(x) MU_FE_56(F, __VA_ARGS__)
#define MU_FE_58(F, x, ...) F(x) MU_FE_57(F, __VA_ARGS__)
#define MU_FE_59(F, x, ...) F(x) MU_FE_58(F, __VA_ARGS__)
#define MU_FE_60(F, x, ...) F(x) MU_FE_59(F, __VA_ARGS__)
#define MU_FE_61(F, x, ...) F(x) MU_FE_60(F, __VA_ARGS__)
#define MU_FE_62(F, x, ...) F(x) MU_FE_61(F, __VA_ARGS__)
#define MU_FE_63(F, x, ...) F(x) MU_FE_62(F, __VA_ARGS__)
#define MU_FE_64(F, x, ...) F(x) MU_FE_63(F, __VA_ARGS__)

#define MU_ENUM_STR_ELEM(x) #x,

/* Default ELF visibility for the enum string helpers, so libgateway.so exports them even
 * when it is built with -fvisibility=hidden (the original library exported them). */
#if defined(__GNUC__)
#define MU_ENUM_EXPORT __attribute__((visibility("default")))
#else
#define MU_ENUM_EXPORT
#endif

/* Declares `typedef enum name_TAG {...} name;` and its string helpers
 * `const char* nameStrings(name)` and `int name_FromString(const char*, name*)`. */
#define DEFINE_ENUM(enumName, ...) \
    typedef enum C2(enumName, _TAG) { __VA_ARGS__ } enumName; \
    extern MU_ENUM_EXPORT const char* C2(enumName, Strings)(enumName value); \
    extern MU_ENUM_EXPORT int C2(enumName, _FromString)(const char* enumAsString, enumName* destination);

/* Defines the string helpers declared by DEFINE_ENUM (in exactly one .c file). */
#define DEFINE_ENUM_STRINGS(enumName, ...) \
    static const char* C2(enumName, StringStorage)[] = { FOR_EACH_1(MU_ENUM_STR_ELEM, __VA_ARGS__) }; \
    const char* C2(enumName, Strings)(enumName value) \
    { \
        if ((int)value < 0 || (size_t)value >= sizeof(C2(enumName, StringStorage)) / sizeof(C2(enumName, StringStorage)[0])) \
            return "NULL"; \
        return C2(enumName, StringStorage)[(int)value]; \
    } \
    int C2(enumName, _FromString)(const char* enumAsString, enumName* destination) \
    { \
        size_t i; \
        if (enumAsString == NULL || destination == NULL) return __LINE__; \
        for (i = 0; i < sizeof(C2(enumName, StringStorage)) / sizeof(C2(enumName, StringStorage)[0]); i++) \
        { \
            if (strcmp(enumAsString, C2(enumName, StringStorage)[i]) == 0) { *destination = (enumName)i; return 0; } \
        } \
        return __LINE__; \
    }

#define ENUM_TO_STRING(enumName, enumValue) C2(enumName, Strings)(enumValue)
#define STRING_TO_ENUM(stringValue, enumName, addressOfEnumVariable) C2(enumName, _FromString)(stringValue, addressOfEnumVariable)

#endif /* MACRO_UTILS_H */
