#include "ckernels.h"

/* The sparse first layer's two kernels. Both keep their working set in L1 cache: the caller
   passes the batch-sized matrix (the output of the forward pass, the output gradient of the
   weight gradient) with a padded row stride, since rows 4 KB apart (1024 floats) would all
   fall into the same few cache sets. Every version sums each output element in the same
   order with one fused multiply-add per term, so AVX-512, AVX2 and plain C give the same bits. */

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define X86_DISPATCH 1
#endif

/* ---- gather: out[r, :] = init_scale[r] * init_vector + sum_k value[k] * source[index[k], :] ----
   A tile of an output row stays in registers (8 vector accumulators: enough independent chains
   for both FMA ports) while its terms are added; the inner loop is loads and FMAs only. */

#define GATHER_BODY(VEC, W, SET1, ZERO, LOAD, STORE, MUL, FMA)                                        \
    enum { A = 8, T = (W) * A };                                                                    \
    long j = 0;                                                                                     \
    for (; j + T <= n; j += T) {                                                                    \
        for (long r = 0; r < rows; r++) {                                                           \
            VEC acc[A];                                                                             \
            if (init_scale && init_vector) {                                                        \
                VEC s = SET1(init_scale[r]);                                                        \
                for (int a = 0; a < A; a++) acc[a] = MUL(s, LOAD(init_vector + j + a * (W)));      \
            } else {                                                                                \
                for (int a = 0; a < A; a++) acc[a] = ZERO();                                        \
            }                                                                                       \
            for (int k = start[r]; k < start[r + 1]; k++) {                                         \
                const float *row = source + (long)index[k] * lds + j;                               \
                VEC v = SET1(value[k]);                                                             \
                for (int a = 0; a < A; a++) acc[a] = FMA(v, LOAD(row + a * (W)), acc[a]);          \
            }                                                                                       \
            for (int a = 0; a < A; a++) STORE(out + r * ldo + j + a * (W), acc[a]);                \
        }                                                                                           \
    }                                                                                               \
    gather_tail(j, rows, n, start, index, value, source, lds, init_scale, init_vector, out, ldo);

static void gather_tail(long j0, long rows, long n, const int *start, const int *index, const float *value,
                        const float *source, long lds, const float *init_scale, const float *init_vector, float *out, long ldo) {
    for (long r = 0; r < rows; r++) {
        for (long j = j0; j < n; j++) {
            float sum = (init_scale && init_vector) ? init_scale[r] * init_vector[j] : 0.0f;
            for (int k = start[r]; k < start[r + 1]; k++) sum = __builtin_fmaf(value[k], source[(long)index[k] * lds + j], sum);
            out[r * ldo + j] = sum;
        }
    }
}

#define GATHER_PARAMETERS long rows, long n, const int *start, const int *index, const float *value, \
    const float *source, long lds, const float *init_scale, const float *init_vector, float *out, long ldo
#define GATHER_ARGUMENTS rows, n, start, index, value, source, lds, init_scale, init_vector, out, ldo

#ifdef X86_DISPATCH
__attribute__((target("avx512f"))) static void gather_avx512(GATHER_PARAMETERS) {
    GATHER_BODY(__m512, 16, _mm512_set1_ps, _mm512_setzero_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_mul_ps, _mm512_fmadd_ps)
}
__attribute__((target("avx2,fma"))) static void gather_avx2(GATHER_PARAMETERS) {
    GATHER_BODY(__m256, 8, _mm256_set1_ps, _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_mul_ps, _mm256_fmadd_ps)
}
#endif

void statnet_sparse_gather_f32(GATHER_PARAMETERS) {
#ifdef X86_DISPATCH
    if (__builtin_cpu_supports("avx512f")) { gather_avx512(GATHER_ARGUMENTS); return; }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) { gather_avx2(GATHER_ARGUMENTS); return; }
#endif
    gather_tail(0, GATHER_ARGUMENTS);
}

/* ---- scatter: out[r, :] = init_vector + sum over the entries (p, r, v) of v * w[p, :] ----
   The same sums grouped by input position p: tiles of w's rows p and p + 1 stay in registers
   while they are added into the rows r where those inputs are non-zero (a tile of the whole
   output, in L1). The terms of each output element are added in increasing p, as the gather
   kernel adds them. */

#define SCATTER_BODY(VEC, W, SET1, LOAD, STORE, FMA)                                                  \
    enum { A = 8, T = (W) * A };                                                                    \
    long j = 0;                                                                                     \
    for (; j + T <= n; j += T) {                                                                    \
        for (long r = 0; r < rows; r++)                                                             \
            for (int a = 0; a < A; a++) STORE(out + r * ldo + j + a * (W), LOAD(init_vector + j + a * (W))); \
        long p = 0;                                                                                 \
        /* Two positions at a time: a row where both are non-zero (neighbouring pixels of a stroke  \
           mostly are) is loaded and stored once for both terms, added in position order. */       \
        for (; p + 1 < positions; p += 2) {                                                         \
            int k1 = start[p], e1 = start[p + 1], k2 = start[p + 1], e2 = start[p + 2];             \
            if (k1 == e2) continue;                                                                 \
            VEC w1[A], w2[A];                                                                       \
            for (int a = 0; a < A; a++) { w1[a] = LOAD(w + p * ldw + j + a * (W)); w2[a] = LOAD(w + (p + 1) * ldw + j + a * (W)); } \
            while (k1 < e1 || k2 < e2) {                                                            \
                int r1 = k1 < e1 ? index[k1] : 0x7fffffff, r2 = k2 < e2 ? index[k2] : 0x7fffffff;   \
                float *o = out + (long)(r1 < r2 ? r1 : r2) * ldo + j;                               \
                if (r1 == r2) {                                                                     \
                    VEC v1 = SET1(value[k1++]), v2 = SET1(value[k2++]);                             \
                    for (int a = 0; a < A; a++) STORE(o + a * (W), FMA(v2, w2[a], FMA(v1, w1[a], LOAD(o + a * (W))))); \
                } else if (r1 < r2) {                                                               \
                    VEC v1 = SET1(value[k1++]);                                                     \
                    for (int a = 0; a < A; a++) STORE(o + a * (W), FMA(v1, w1[a], LOAD(o + a * (W)))); \
                } else {                                                                            \
                    VEC v2 = SET1(value[k2++]);                                                     \
                    for (int a = 0; a < A; a++) STORE(o + a * (W), FMA(v2, w2[a], LOAD(o + a * (W)))); \
                }                                                                                   \
            }                                                                                       \
        }                                                                                           \
        for (; p < positions; p++) {                                                                \
            VEC wt[A];                                                                              \
            for (int a = 0; a < A; a++) wt[a] = LOAD(w + p * ldw + j + a * (W));                    \
            for (int k = start[p]; k < start[p + 1]; k++) {                                         \
                float *o = out + (long)index[k] * ldo + j;                                          \
                VEC v = SET1(value[k]);                                                             \
                for (int a = 0; a < A; a++) STORE(o + a * (W), FMA(v, wt[a], LOAD(o + a * (W))));  \
            }                                                                                       \
        }                                                                                           \
    }                                                                                               \
    scatter_tail(j, positions, rows, n, start, index, value, w, ldw, init_vector, out, ldo);

static void scatter_tail(long j0, long positions, long rows, long n, const int *start, const int *index, const float *value,
                         const float *w, long ldw, const float *init_vector, float *out, long ldo) {
    if (j0 >= n) return;
    for (long r = 0; r < rows; r++)
        for (long j = j0; j < n; j++) out[r * ldo + j] = init_vector[j];
    for (long p = 0; p < positions; p++)
        for (int k = start[p]; k < start[p + 1]; k++) {
            float *o = out + (long)index[k] * ldo;
            for (long j = j0; j < n; j++) o[j] = __builtin_fmaf(value[k], w[p * ldw + j], o[j]);
        }
}

#define SCATTER_PARAMETERS long positions, long rows, long n, const int *start, const int *index, const float *value, \
    const float *w, long ldw, const float *init_vector, float *out, long ldo
#define SCATTER_ARGUMENTS positions, rows, n, start, index, value, w, ldw, init_vector, out, ldo

#ifdef X86_DISPATCH
__attribute__((target("avx512f"))) static void scatter_avx512(SCATTER_PARAMETERS) {
    SCATTER_BODY(__m512, 16, _mm512_set1_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_fmadd_ps)
}
__attribute__((target("avx2,fma"))) static void scatter_avx2(SCATTER_PARAMETERS) {
    SCATTER_BODY(__m256, 8, _mm256_set1_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_fmadd_ps)
}
#endif

void statnet_sparse_scatter_f32(SCATTER_PARAMETERS) {
#ifdef X86_DISPATCH
    if (__builtin_cpu_supports("avx512f")) { scatter_avx512(SCATTER_ARGUMENTS); return; }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) { scatter_avx2(SCATTER_ARGUMENTS); return; }
#endif
    scatter_tail(0, SCATTER_ARGUMENTS);
}
