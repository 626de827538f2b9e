#ifndef STATNET_PER_ISA_H
#define STATNET_PER_ISA_H

/* A kernel whose loop is written once in plain C and compiled once per instruction set, the
   fastest the processor has picked at run time (a Swift package may not pass -march flags).
   Defines statnet_<name>_f32 PARAMETERS. PARAMETERS and ARGUMENTS are the parenthesised
   parameter and argument lists; AVX2_TARGET and HAS_AVX2 name the AVX2 copy's target features
   and the run-time check for them. The loops stay plain, so every copy gives the same bits. */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define STATNET_PER_ISA(name, AVX2_TARGET, HAS_AVX2, PARAMETERS, ARGUMENTS, BODY)              \
    __attribute__((target("avx512f"))) static void name##_avx512 PARAMETERS { BODY }          \
    __attribute__((target(AVX2_TARGET))) static void name##_avx2 PARAMETERS { BODY }          \
    static void name##_baseline PARAMETERS { BODY }                                           \
    void statnet_##name##_f32 PARAMETERS {                                                    \
        if (__builtin_cpu_supports("avx512f")) { name##_avx512 ARGUMENTS; return; }           \
        if (HAS_AVX2) { name##_avx2 ARGUMENTS; return; }                                      \
        name##_baseline ARGUMENTS;                                                            \
    }
#else
#define STATNET_PER_ISA(name, AVX2_TARGET, HAS_AVX2, PARAMETERS, ARGUMENTS, BODY)              \
    void statnet_##name##_f32 PARAMETERS { BODY }
#endif

#endif
