#include "ckernels.h"
#include "per_isa.h"

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

STATNET_PER_ISA(column_sums, "avx2", __builtin_cpu_supports("avx2"), (COLUMN_SUMS_PARAMETERS), (rows, columns, x, sum), COLUMN_SUMS_BODY)

/* Forward: y[r, c] += bias[c]. */
#define ADD_BIAS_BODY                                                      \
    for (long r = 0; r < rows; r++) {                                      \
        float *row = y + r * columns;                                      \
        for (long c = 0; c < columns; c++) row[c] += bias[c];              \
    }

#define ADD_BIAS_PARAMETERS long rows, long columns, float *restrict y, const float *restrict bias

STATNET_PER_ISA(add_bias, "avx2", __builtin_cpu_supports("avx2"), (ADD_BIAS_PARAMETERS), (rows, columns, y, bias), ADD_BIAS_BODY)

/* The folded normalisation's bias term: sum[c] += coefficient[0] m[0, c] + coefficient[1] m[1, c] + ...
   one fused multiply-add per row, rows in order, for m: [rows, columns]. The same sums whether
   the rows come in one call or in consecutive blocks (the optimiser's, while they are in cache),
   on every instruction set (explicit fmaf; the AVX2 copy needs FMA). */
#define ROW_COMBINATION_BODY                                                         \
    for (long r = 0; r < rows; r++) {                                                \
        const float *row = m + r * columns;                                          \
        const float k = coefficient[r];                                              \
        for (long c = 0; c < columns; c++) sum[c] = __builtin_fmaf(k, row[c], sum[c]); \
    }

#define ROW_COMBINATION_PARAMETERS long rows, long columns, const float *restrict coefficient, const float *restrict m, float *restrict sum

STATNET_PER_ISA(row_combination, "avx2,fma", __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"),
                (ROW_COMBINATION_PARAMETERS), (rows, columns, coefficient, m, sum), ROW_COMBINATION_BODY)
