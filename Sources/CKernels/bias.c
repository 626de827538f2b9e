#include "ckernels.h"

/* A linear layer's bias, forward and backward, for x: [rows, columns]. Plain loops that the
   compiler vectorises across columns once the pointers are restrict (Swift's loops stayed
   scalar); the same operations in the same order as those loops, so the same bits.
   Backward: sum[c] = x[0, c] + x[1, c] + ... in row order from 0; sum (one row) stays in L1. */
#define COLUMN_SUMS_BODY                                                   \
    for (long c = 0; c < columns; c++) sum[c] = 0.0f;                      \
    for (long r = 0; r < rows; r++) {                                      \
        const float *row = x + r * columns;                                \
        for (long c = 0; c < columns; c++) sum[c] += row[c];               \
    }

#define COLUMN_SUMS_PARAMETERS long rows, long columns, const float *restrict x, float *restrict sum

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx512f"))) static void column_sums_avx512(COLUMN_SUMS_PARAMETERS) { COLUMN_SUMS_BODY }
__attribute__((target("avx2"))) static void column_sums_avx2(COLUMN_SUMS_PARAMETERS) { COLUMN_SUMS_BODY }
#endif
static void column_sums_baseline(COLUMN_SUMS_PARAMETERS) { COLUMN_SUMS_BODY }

void statnet_column_sums_f32(COLUMN_SUMS_PARAMETERS) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (__builtin_cpu_supports("avx512f")) { column_sums_avx512(rows, columns, x, sum); return; }
    if (__builtin_cpu_supports("avx2")) { column_sums_avx2(rows, columns, x, sum); return; }
#endif
    column_sums_baseline(rows, columns, x, sum);
}

/* Forward: y[r, c] += bias[c]. */
#define ADD_BIAS_BODY                                                      \
    for (long r = 0; r < rows; r++) {                                      \
        float *row = y + r * columns;                                      \
        for (long c = 0; c < columns; c++) row[c] += bias[c];              \
    }

#define ADD_BIAS_PARAMETERS long rows, long columns, float *restrict y, const float *restrict bias

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx512f"))) static void add_bias_avx512(ADD_BIAS_PARAMETERS) { ADD_BIAS_BODY }
__attribute__((target("avx2"))) static void add_bias_avx2(ADD_BIAS_PARAMETERS) { ADD_BIAS_BODY }
#endif
static void add_bias_baseline(ADD_BIAS_PARAMETERS) { ADD_BIAS_BODY }

void statnet_add_bias_f32(ADD_BIAS_PARAMETERS) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (__builtin_cpu_supports("avx512f")) { add_bias_avx512(rows, columns, y, bias); return; }
    if (__builtin_cpu_supports("avx2")) { add_bias_avx2(rows, columns, y, bias); return; }
#endif
    add_bias_baseline(rows, columns, y, bias);
}
