/* umock_c_prod.h - production expansion of MOCKABLE_FUNCTION.
 *
 * MOCKABLE_FUNCTION(modifiers, result, function, type1, name1, type2, name2, ...)
 * expands to the plain declaration `result modifiers function(type1 name1, type2 name2, ...)`
 * (or `(void)` without parameters). Up to 12 parameters. No mocking happens here: legacy
 * modules only need the declarations to compile. */
#ifndef UMOCK_C_PROD_H
#define UMOCK_C_PROD_H

#include "azure_c_shared_utility/macro_utils.h"

#define MOCKABLE_FUNCTION(modifiers, result, ...) \
    C2(MU_MOCKABLE_, COUNT_ARG(__VA_ARGS__))(modifiers, result, __VA_ARGS__)

#define MU_MOCKABLE_1(m, r, f) r m f(void)
#define MU_MOCKABLE_3(m, r, f, t1, n1) r m f(t1 n1)
#define MU_MOCKABLE_5(m, r, f, t1, n1, t2, n2) r m f(t1 n1, t2 n2)
#define MU_MOCKABLE_7(m, r, f, t1, n1, t2, n2, t3, n3) r m f(t1 n1, t2 n2, t3 n3)
#define MU_MOCKABLE_9(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4) r m f(t1 n1, t2 n2, t3 n3, t4 n4)
#define MU_MOCKABLE_11(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5)
#define MU_MOCKABLE_13(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6)
#define MU_MOCKABLE_15(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7)
#define MU_MOCKABLE_17(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7, t8, n8) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7, t8 n8)
#define MU_MOCKABLE_19(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7, t8, n8, t9, n9) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7, t8 n8, t9 n9)
#define MU_MOCKABLE_21(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7, t8, n8, t9, n9, t10, n10) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7, t8 n8, t9 n9, t10 n10)
#define MU_MOCKABLE_23(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7, t8, n8, t9, n9, t10, n10, t11, n11) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7, t8 n8, t9 n9, t10 n10, t11 n11)
#define MU_MOCKABLE_25(m, r, f, t1, n1, t2, n2, t3, n3, t4, n4, t5, n5, t6, n6, t7, n7, t8, n8, t9, n9, t10, n10, t11, n11, t12, n12) \
    r m f(t1 n1, t2 n2, t3 n3, t4 n4, t5 n5, t6 n6, t7 n7, t8 n8, t9 n9, t10 n10, t11 n11, t12 n12)

#endif /* UMOCK_C_PROD_H */
