#ifndef STATNET_CKERNELS_H
#define STATNET_CKERNELS_H

/// Sets the calling thread's floating-point unit to flush denormal results and inputs to zero.
/// Adam's first moment decays by 0.9 a step, so for weights whose input is rarely non-zero it
/// sinks into the denormal range within an epoch, where x86 arithmetic is up to 100x slower.
void statnet_flush_denormals(void);

/// Whether the calling thread flushes denormals (for tests).
int statnet_flushes_denormals(void);

/// The calling thread's floating-point control word, to restore it after a scoped change.
unsigned long statnet_fp_mode(void);
void statnet_set_fp_mode(unsigned long mode);

/// One fused Adam step over n floats (PyTorch's formula, see Adam.swift):
///   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= step_size * m / (sqrt(v) * inv_c2 + eps)
/// Compiled for AVX-512, AVX2 and baseline x86 (or plain C elsewhere) and chosen at run time,
/// since a Swift package may not pass -march flags; the AVX versions run 2-3x faster.
void statnet_adam_f32(long n, float *restrict p, const float *restrict g, float *restrict m, float *restrict v,
                      float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,
                      float step_size, float inverse_correction2_sqrt, float epsilon);

/// The sparse first layer's two kernels (sparse_rows.c). Each sums every output element in the
/// same order with one fused multiply-add per term in every version, so AVX-512, AVX2 and plain C
/// give the same bits. `lds`, `ldw`, `ldo` are row strides in floats.
///
/// Gather (the weight gradient: rows are input positions, source the output gradient):
///   out[r, :] = init_scale[r] * init_vector + sum_{k in start[r] ..< start[r+1]} value[k] * source[index[k], :]
/// (a zero start when init_scale or init_vector is NULL).
void statnet_sparse_gather_f32(long rows, long n, const int *start, const int *index, const float *value,
                               const float *source, long lds, const float *init_scale, const float *init_vector, float *out, long ldo);

/// Scatter (the forward pass: entries grouped by input position p, index = the batch row):
///   out[r, :] = init_vector + sum over p = 0, 1, ... and its entries k with index[k] = r of value[k] * w[p, :]
void statnet_sparse_scatter_f32(long positions, long rows, long n, const int *start, const int *index, const float *value,
                                const float *w, long ldw, const float *init_vector, float *out, long ldo);

/// ReLU then inverted dropout at p = 1/2, in place: z[i] = (bit i && z[i] > 0) ? 2 z[i] : 0, where
/// bit i is bit (i % 64) of words[i / 64] (AVX-512 takes sixteen bits as a mask register).
void statnet_relu_dropout_half_f32(float *z, long n, const unsigned long long *words);

/// Its backward, in place on the gradient: g[i] = y[i] > 0 ? g[i] * scale : 0 (y: the forward's output).
void statnet_relu_dropout_backward_f32(float *restrict g, const float *restrict y, long n, float scale);

/// A linear layer's bias (bias.c), x and y: [rows, columns]. Forward: y[r, c] += bias[c].
/// Backward: sum[c] = sum over r of x[r, c], each column summed in row order from 0.
void statnet_add_bias_f32(long rows, long columns, float *restrict y, const float *restrict bias);
void statnet_column_sums_f32(long rows, long columns, const float *restrict x, float *restrict sum);

/// The folded normalisation's bias term (bias.c), m: [rows, columns]:
///   sum[c] += sum over r = 0, 1, ... of coefficient[r] * m[r, c], one fused multiply-add per row in
/// row order, so consecutive blocks of rows give the same bits as one call.
void statnet_row_combination_f32(long rows, long columns, const float *restrict coefficient, const float *restrict m,
                                 float *restrict sum);

/// Makes the first SIGINT or SIGTERM a request to stop at the next safe point (a second one
/// ends the process at once). `statnet_stop_signal` returns the signal received, or 0.
void statnet_install_stop_handlers(void);
int statnet_stop_signal(void);

/// Standard output and error (standard_streams.c). The writes return 0, or -1 when the text
/// could not be written; statnet_finish_stdout flushes stdout and returns 0 when everything
/// printed arrived, else the errno of the failure (EPIPE: the reader went away).
int statnet_write_stderr(const char *text);
int statnet_write_stdout_flushed(const char *text);
int statnet_finish_stdout(void);

#endif
