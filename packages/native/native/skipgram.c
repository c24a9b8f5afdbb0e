/*
 * word2vec's skip-gram with negative sampling (Mikolov et al. 2013, the original word2vec.c
 * algorithm) over a corpus of token ids, single-threaded and deterministic:
 *
 *   skipgramInit(syn0, syn1, dim, rng)              syn0 ~ uniform(-0.5, 0.5)/dim (word2vec's LCG), syn1 = 0
 *   skipgramTable(counts, exclude, table)           unigram^0.75 negative-sampling table
 *   skipgramTrain(tokens, counts, exclude, table, syn0, syn1, rng, dim, window, negative, alpha,
 *                 sample, seed, epoch, from, to, wordsDone, totalWords) -> wordsDone after the chunk
 *
 * All state lives in JavaScript typed arrays (syn0, syn1, the LCG state in a BigUint64Array of 1),
 * so the caller trains in chunks of positions [from, to), reports progress and can checkpoint
 * between them. The result does not depend on how the corpus is cut into chunks:
 *  - the LCG (`next_random * 25214903917 + 11`, word2vec's) draws the dynamic window and the
 *    negatives in position order, so it only needs to be carried from one chunk to the next;
 *  - the subsampling decision of position p in an epoch is a counter-based hash of (seed, epoch, p)
 *    instead of the LCG, so a context word outside the chunk is kept or dropped the same way from
 *    either side;
 *  - the learning rate decays linearly with the in-vocabulary words read so far (wordsDone),
 *    alpha·(1 − wordsDone/(totalWords + 1)), floored at alpha·1e-4, updated every word.
 *
 * As in word2vec: excluded ids (its out-of-vocabulary words) are removed from the text before
 * windows are formed; frequent words are discarded with probability 1 − (sqrt(f/t) + 1)·t/f, f the
 * word's share of the in-vocabulary words; the half-window is window − b, b uniform in [0, window);
 * the context word's input vector is trained to predict the centre word's output vector against
 * `negative` table draws (a draw equal to the centre word is skipped); sigmoid from a 1000-entry
 * table over [−6, 6], the gradient clamps outside it. Differences: a document (ids between −1
 * sentinels) is one sentence, with no 1000-word cap, and a window never crosses a −1.
 *
 * Only IEEE single-precision adds and multiplies in a fixed order (no FMA: -ffp-contract=off; the
 * dot product keeps 8 partial sums combined in a fixed order), so a given build gives bit-identical
 * vectors for the same inputs. Every argument and range is checked before any memory is touched.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "kernels.h"

#define EXP_TABLE_SIZE 1000
#define MAX_EXP 6
#define MAX_DIM 65536
#define MAX_WINDOW 1000
#define MAX_NEGATIVE 1000
#define LANES 8

static float exp_table[EXP_TABLE_SIZE];
static int exp_table_ready = 0;

/* word2vec: expTable[i] = σ((i / EXP_TABLE_SIZE · 2 − 1) · MAX_EXP). */
static void fill_exp_table(void) {
  if (exp_table_ready) return;
  for (int i = 0; i < EXP_TABLE_SIZE; i++) {
    float e = (float)exp(((double)i / EXP_TABLE_SIZE * 2 - 1) * MAX_EXP);
    exp_table[i] = e / (e + 1);
  }
  exp_table_ready = 1;
}

static inline uint64_t lcg(uint64_t *state) {
  return *state = *state * 25214903917ULL + 11;
}

static inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static bool fail_range(napi_env env, const char *fn, const char *what) {
  char message[200];
  snprintf(message, sizeof message, "%s: %s", fn, what);
  napi_throw_range_error(env, NULL, message);
  return false;
}

static bool fail_type(napi_env env, const char *fn, const char *what) {
  char message[200];
  snprintf(message, sizeof message, "%s: %s", fn, what);
  napi_throw_type_error(env, NULL, message);
  return false;
}

/* A typed array of exactly `type`; TypeError naming it otherwise. */
static bool get_typed(napi_env env, napi_value value, napi_typedarray_type type, const char *fn, const char *what, void **data, int64_t *length) {
  bool is_typed = false;
  napi_typedarray_type actual;
  size_t count;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &actual, &count, data, NULL, NULL) != napi_ok || actual != type) {
    return fail_type(env, fn, what);
  }
  *length = (int64_t)count;
  return true;
}

static bool get_rng(napi_env env, napi_value value, const char *fn, uint64_t **rng) {
  void *data;
  int64_t length;
  if (!get_typed(env, value, napi_biguint64_array, fn, "rng must be a BigUint64Array of length 1", &data, &length)) return false;
  if (length != 1) return fail_type(env, fn, "rng must be a BigUint64Array of length 1");
  *rng = (uint64_t *)data;
  return true;
}

/* skipgramInit(syn0, syn1, dim, rng): word2vec's initialisation from the LCG state in rng[0]. */
static napi_value skipgram_init(napi_env env, napi_callback_info cb) {
  const char *fn = "skipgramInit";
  napi_value argv[4];
  float *syn0, *syn1;
  int64_t len0, len1, dim;
  uint64_t *rng;
  if (!get_args(env, cb, 4, argv, fn) || !get_f32(env, argv[0], fn, &syn0, &len0) || !get_f32(env, argv[1], fn, &syn1, &len1) ||
      !get_i64(env, argv[2], fn, &dim) || !get_rng(env, argv[3], fn, &rng)) return NULL;
  if (dim < 1 || dim > MAX_DIM) { fail_range(env, fn, "dim must be in [1, 65536]"); return NULL; }
  if (len0 % dim != 0 || len1 != len0) { fail_range(env, fn, "syn0 and syn1 must both hold vocab × dim floats"); return NULL; }
  uint64_t state = *rng;
  for (int64_t i = 0; i < len0; i++) syn0[i] = (((float)(lcg(&state) & 0xFFFF) / 65536.0f) - 0.5f) / (float)dim;
  memset(syn1, 0, (size_t)len1 * sizeof(float));
  *rng = state;
  return NULL;
}

static bool get_vocab_arrays(napi_env env, napi_value counts_value, napi_value exclude_value, const char *fn, int32_t **counts, uint8_t **exclude, int64_t *vocab) {
  void *c, *e;
  int64_t nc, ne;
  if (!get_typed(env, counts_value, napi_int32_array, fn, "counts must be an Int32Array", &c, &nc) ||
      !get_typed(env, exclude_value, napi_uint8_array, fn, "exclude must be a Uint8Array", &e, &ne)) return false;
  if (nc < 1 || nc != ne) return fail_range(env, fn, "counts and exclude must have the same length (the vocabulary size, at least 1)");
  if (nc > INT32_MAX) return fail_range(env, fn, "vocabulary too large");
  *counts = (int32_t *)c;
  *exclude = (uint8_t *)e;
  *vocab = nc;
  for (int64_t i = 0; i < nc; i++) {
    if ((*counts)[i] < 0) return fail_range(env, fn, "counts must be non-negative");
  }
  return true;
}

/* skipgramTable(counts, exclude, table): word2vec's InitUnigramTable over the ids not excluded with a count > 0. */
static napi_value skipgram_table(napi_env env, napi_callback_info cb) {
  const char *fn = "skipgramTable";
  napi_value argv[3];
  int32_t *counts;
  uint8_t *exclude;
  int64_t vocab, size;
  void *t;
  if (!get_args(env, cb, 3, argv, fn) || !get_vocab_arrays(env, argv[0], argv[1], fn, &counts, &exclude, &vocab) ||
      !get_typed(env, argv[2], napi_int32_array, fn, "table must be an Int32Array", &t, &size)) return NULL;
  int32_t *table = (int32_t *)t;
  if (size < 1) { fail_range(env, fn, "table must not be empty"); return NULL; }
  double total = 0;
  int64_t last = -1, first = -1;
  for (int64_t i = 0; i < vocab; i++) {
    if (exclude[i] || counts[i] == 0) continue;
    total += pow(counts[i], 0.75);
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) { fail_range(env, fn, "no id left to sample (every id excluded or unseen)"); return NULL; }
  /* word2vec walks the ids in order, moving to the next once the table passes its cumulative share. */
  int64_t i = first;
  double share = pow(counts[i], 0.75) / total;
  for (int64_t a = 0; a < size; a++) {
    table[a] = (int32_t)i;
    if ((double)a / (double)size > share && i < last) {
      do i++; while (exclude[i] || counts[i] == 0);
      share += pow(counts[i], 0.75) / total;
    }
  }
  return NULL;
}

static inline float dot(const float *a, const float *b, int64_t n) {
  float lane[LANES] = {0};
  int64_t i = 0;
  for (; i + LANES <= n; i += LANES) {
    for (int j = 0; j < LANES; j++) lane[j] += a[i + j] * b[i + j];
  }
  float sum = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
  for (; i < n; i++) sum += a[i] * b[i];
  return sum;
}

typedef struct {
  const int32_t *tokens;
  const int32_t *counts;
  const uint8_t *exclude;
  int64_t length;
  uint64_t keep_key; /* hash key of (seed, epoch) for the subsampling decisions */
  double threshold;  /* sample · train_words; 0: no subsampling */
} corpus_t;

/* Whether position p takes part in this epoch: an in-vocabulary id that survives subsampling. */
static inline bool kept(const corpus_t *c, int64_t p) {
  int32_t id = c->tokens[p];
  if (id < 0 || c->exclude[id]) return false;
  if (c->threshold <= 0) return true;
  double cn = c->counts[id];
  double ran = (sqrt(cn / c->threshold) + 1) * c->threshold / cn;
  return ran >= (double)(splitmix64(c->keep_key ^ (uint64_t)p) & 0xFFFF) / 65536.0;
}

/*
 * skipgramTrain(tokens, counts, exclude, table, syn0, syn1, rng, dim, window, negative, alpha, sample,
 *               seed, epoch, from, to, wordsDone, totalWords) -> wordsDone + in-vocabulary ids in [from, to)
 */
static napi_value skipgram_train(napi_env env, napi_callback_info cb) {
  const char *fn = "skipgramTrain";
  napi_value argv[18];
  int32_t *counts;
  uint8_t *exclude;
  void *tk, *tb;
  float *syn0, *syn1;
  uint64_t *rng;
  int64_t vocab, length, table_size, len0, len1, dim, window, negative, seed, epoch, from, to;
  double alpha, sample, words_done, total_words;
  if (!get_args(env, cb, 18, argv, fn) ||
      !get_typed(env, argv[0], napi_int32_array, fn, "tokens must be an Int32Array", &tk, &length) ||
      !get_vocab_arrays(env, argv[1], argv[2], fn, &counts, &exclude, &vocab) ||
      !get_typed(env, argv[3], napi_int32_array, fn, "table must be an Int32Array", &tb, &table_size) ||
      !get_f32(env, argv[4], fn, &syn0, &len0) || !get_f32(env, argv[5], fn, &syn1, &len1) || !get_rng(env, argv[6], fn, &rng) ||
      !get_i64(env, argv[7], fn, &dim) || !get_i64(env, argv[8], fn, &window) || !get_i64(env, argv[9], fn, &negative) ||
      !get_f64(env, argv[10], fn, &alpha) || !get_f64(env, argv[11], fn, &sample) || !get_i64(env, argv[12], fn, &seed) ||
      !get_i64(env, argv[13], fn, &epoch) || !get_i64(env, argv[14], fn, &from) || !get_i64(env, argv[15], fn, &to) ||
      !get_f64(env, argv[16], fn, &words_done) || !get_f64(env, argv[17], fn, &total_words)) return NULL;
  const int32_t *tokens = (const int32_t *)tk;
  const int32_t *table = (const int32_t *)tb;
  if (dim < 1 || dim > MAX_DIM) { fail_range(env, fn, "dim must be in [1, 65536]"); return NULL; }
  if (len0 != vocab * dim || len1 != len0) { fail_range(env, fn, "syn0 and syn1 must both hold vocab × dim floats"); return NULL; }
  if (window < 1 || window > MAX_WINDOW) { fail_range(env, fn, "window must be in [1, 1000]"); return NULL; }
  if (negative < 1 || negative > MAX_NEGATIVE) { fail_range(env, fn, "negative must be in [1, 1000]"); return NULL; }
  if (!(alpha > 0 && alpha <= 10)) { fail_range(env, fn, "alpha must be in (0, 10]"); return NULL; }
  if (!(sample >= 0 && sample < 1)) { fail_range(env, fn, "sample must be in [0, 1)"); return NULL; }
  if (seed < 0 || seed > 0xffffffffLL) { fail_range(env, fn, "seed must be a 32-bit unsigned integer"); return NULL; }
  if (epoch < 0 || epoch > 0xffffffffLL) { fail_range(env, fn, "epoch must be a 32-bit unsigned integer"); return NULL; }
  if (from < 0 || to < from || to > length) { fail_range(env, fn, "[from, to) lies outside tokens"); return NULL; }
  if (!(words_done >= 0 && total_words >= words_done && total_words < 9007199254740992.0)) {
    fail_range(env, fn, "wordsDone and totalWords must satisfy 0 <= wordsDone <= totalWords < 2^53");
    return NULL;
  }
  if (table_size < 1) { fail_range(env, fn, "table must not be empty"); return NULL; }
  for (int64_t i = 0; i < table_size; i++) {
    if (table[i] < 0 || table[i] >= vocab) { fail_range(env, fn, "table holds an id outside the vocabulary"); return NULL; }
  }
  double train_words = 0;
  for (int64_t i = 0; i < vocab; i++) {
    if (!exclude[i]) train_words += counts[i];
  }
  for (int64_t i = 0; i < length; i++) {
    if (tokens[i] < -1 || tokens[i] >= vocab) { fail_range(env, fn, "tokens holds an id outside [-1, vocab)"); return NULL; }
    /* Subsampling divides by the count of every in-vocabulary id it meets. */
    if (tokens[i] >= 0 && !exclude[tokens[i]] && counts[tokens[i]] == 0) { fail_range(env, fn, "an in-vocabulary token has count 0"); return NULL; }
  }
  float *neu1e = malloc((size_t)dim * sizeof(float));
  if (!neu1e) { napi_throw_error(env, NULL, "skipgramTrain: out of memory"); return NULL; }
  fill_exp_table();

  corpus_t corpus = {tokens, counts, exclude, length, splitmix64(splitmix64((uint64_t)seed) ^ (uint64_t)epoch), sample * train_words};
  uint64_t state = *rng;
  const float floor_alpha = (float)(alpha * 0.0001);
  int64_t context[2 * MAX_WINDOW];
  for (int64_t p = from; p < to; p++) {
    int32_t word = tokens[p];
    if (word < 0 || exclude[word]) continue;
    float lr = (float)(alpha * (1 - words_done / (total_words + 1)));
    if (lr < floor_alpha) lr = floor_alpha;
    words_done += 1;
    if (!kept(&corpus, p)) continue;
    int64_t half = window - (int64_t)(lcg(&state) % (uint64_t)window);
    /* The nearest `half` kept positions on each side within the document, farthest left first. */
    int64_t n = 0, left = 0;
    for (int64_t q = p - 1; q >= 0 && tokens[q] != -1 && left < half; q--) {
      if (kept(&corpus, q)) context[half - 1 - left++] = q;
    }
    if (left < half) memmove(context, context + (half - left), (size_t)left * sizeof *context);
    n = left;
    for (int64_t q = p + 1, right = 0; q < length && tokens[q] != -1 && right < half; q++) {
      if (kept(&corpus, q)) context[n++] = q, right++;
    }
    for (int64_t k = 0; k < n; k++) {
      float *in = syn0 + (int64_t)tokens[context[k]] * dim;
      memset(neu1e, 0, (size_t)dim * sizeof(float));
      for (int64_t d = 0; d <= negative; d++) {
        int32_t target;
        float label;
        if (d == 0) {
          target = word;
          label = 1;
        } else {
          target = table[(lcg(&state) >> 16) % (uint64_t)table_size];
          if (target == word) continue;
          label = 0;
        }
        float *out = syn1 + (int64_t)target * dim;
        float f = dot(in, out, dim);
        float g;
        /* word2vec's table lookup (its integer EXP_TABLE_SIZE / MAX_EXP / 2 = 83 included); NaN takes the last branch. */
        if (f > MAX_EXP) g = (label - 1) * lr;
        else if (f >= -MAX_EXP) g = (label - exp_table[(int)((f + MAX_EXP) * (EXP_TABLE_SIZE / MAX_EXP / 2))]) * lr;
        else g = (label - 0) * lr;
        for (int64_t c = 0; c < dim; c++) neu1e[c] += g * out[c];
        for (int64_t c = 0; c < dim; c++) out[c] += g * in[c];
      }
      for (int64_t c = 0; c < dim; c++) in[c] += neu1e[c];
    }
  }
  free(neu1e);
  *rng = state;
  napi_value result;
  if (napi_create_double(env, words_done, &result) != napi_ok) return NULL;
  return result;
}

bool register_skipgram(napi_env env, napi_value exports) {
  return export_function(env, exports, "skipgramInit", skipgram_init) && export_function(env, exports, "skipgramTable", skipgram_table) &&
         export_function(env, exports, "skipgramTrain", skipgram_train);
}
