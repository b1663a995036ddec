/* Split the lines of a small, regular CSV file into columns: the compiled twin
 * of `azyl.store.splitcsv.split_numpy`, producing the very same arrays.
 *
 * Each column is skipped, dictionary-encoded or read as a whole number:
 *
 *   - a dictionary column gives, per line, the number of its field's raw bytes
 *     (quotes included) among the column's distinct values, numbered in order
 *     of first appearance, and, per distinct value, its bytes and the line it
 *     first appears on. The caller decodes, unquotes and checks each distinct
 *     value once, never each line;
 *   - a number column gives its digits' value per line, -1 for an empty field.
 *
 * One pass over the bytes, without the GIL. Anything outside this simple shape
 * is refused with a reason (the caller then reads the file with DuckDB, which
 * names malformed lines): a line without exactly `ncols` fields, a quote inside
 * an unquoted field, text after a closing quote, a line break, carriage return
 * or zero byte anywhere inside a field or quotes left open; in a number column,
 * a quote, anything but 1 to 18 digits (an empty field is -1).
 * Built at install time when a C compiler is present (setup.py, optional).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 64
#define MAX_DIGITS 18
enum { SKIP = 0, DICT = 1, NUMBER = 2 };

typedef struct {
    Py_ssize_t start, size, first; /* the value's bytes in `data`, its first line */
} value_t;

typedef struct {
    value_t *values;
    Py_ssize_t count, room;
    int64_t *slots; /* hash table: value index + 1, 0 when empty */
    Py_ssize_t mask;
    Py_ssize_t last; /* the number of the line before's value (a repeated field's) */
} dict_t;

typedef struct {
    const char *reason;
    Py_ssize_t line; /* 0-based data line the reason is about */
} failure_t;

static uint64_t hash_bytes(const unsigned char *p, Py_ssize_t n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)n;
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static int dict_grow(dict_t *d)
{
    Py_ssize_t size = (d->mask + 1) * 2;
    int64_t *slots = calloc((size_t)size, sizeof(int64_t));
    if (slots == NULL) return 0;
    free(d->slots);
    d->slots = slots;
    d->mask = size - 1;
    return 1;
}

static void dict_free(dict_t *d)
{
    free(d->values);
    free(d->slots);
}

/* The value's number, adding it when new; -1 when out of memory. */
static Py_ssize_t dict_code(dict_t *d, const unsigned char *a, Py_ssize_t start, Py_ssize_t size,
                            Py_ssize_t line)
{
    /* (a field repeating the line before's never gets here: `split` takes it first) */
    uint64_t h = hash_bytes(a + start, size);
    Py_ssize_t at = (Py_ssize_t)(h & (uint64_t)d->mask);
    while (d->slots[at]) {
        value_t *v = &d->values[d->slots[at] - 1];
        if (v->size == size && memcmp(a + v->start, a + start, (size_t)size) == 0)
            return d->last = d->slots[at] - 1;
        at = (at + 1) & d->mask;
    }
    if (d->count == d->room) {
        Py_ssize_t room = d->room ? d->room * 2 : 64;
        value_t *values = realloc(d->values, (size_t)room * sizeof(value_t));
        if (values == NULL) return -1;
        d->values = values;
        d->room = room;
    }
    d->values[d->count] = (value_t){start, size, line};
    d->slots[at] = d->count + 1;
    d->last = d->count++;
    if (d->count * 2 > d->mask) { /* keep the table at most half full: rehash */
        if (!dict_grow(d)) return -1;
        for (Py_ssize_t i = 0; i < d->count; i++) {
            value_t *v = &d->values[i];
            Py_ssize_t s = (Py_ssize_t)(hash_bytes(a + v->start, v->size) & (uint64_t)d->mask);
            while (d->slots[s]) s = (s + 1) & d->mask;
            d->slots[s] = i + 1;
        }
    }
    return d->last;
}

/* Bytes that end a run of ordinary field bytes: `unquoted[c]` in a field without
 * quotes (the delimiter, a newline, a quote, a carriage return, a zero byte),
 * `quoted[c]` inside quotes (a quote, a newline, a carriage return, a zero byte). */
typedef struct {
    unsigned char unquoted[256], quoted[256];
} stops_t;

static void make_stops(stops_t *t, unsigned char delim)
{
    memset(t, 0, sizeof(*t));
    t->unquoted[delim] = t->unquoted['\n'] = t->unquoted['"'] = t->unquoted['\r'] = 1;
    t->unquoted[0] = 1;
    t->quoted['"'] = t->quoted['\n'] = t->quoted['\r'] = t->quoted[0] = 1;
}

/* The end of the field starting at `p` (at the delimiter, newline or end), or NULL. */
static const unsigned char *field_end(const unsigned char *p, const unsigned char *end,
                                      unsigned char delim, const stops_t *stops, int *quoted,
                                      failure_t *f)
{
    *quoted = p < end && *p == '"';
    if (*quoted) {
        for (p++;; p++) {
            while (p < end && !stops->quoted[*p]) p++;
            if (p >= end) { f->reason = "quotes left open"; return NULL; }
            if (*p != '"') {
                f->reason = "a line break, carriage return or zero byte inside quotes";
                return NULL;
            }
            if (p + 1 < end && p[1] == '"') { p++; continue; }
            p++;
            break;
        }
        if (p < end && *p != delim && *p != '\n') {
            f->reason = "text after a closing quote";
            return NULL;
        }
        return p;
    }
    while (p < end && !stops->unquoted[*p]) p++;
    if (p < end && *p != delim && *p != '\n') {
        f->reason = "a quote, carriage return or zero byte inside an unquoted field";
        return NULL;
    }
    return p;
}

static int read_number(const unsigned char *p, Py_ssize_t size, int quoted, int64_t *out)
{
    if (quoted || size > MAX_DIGITS) return 0;
    int64_t value = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        unsigned d = (unsigned)p[i] - '0';
        if (d > 9) return 0;
        value = value * 10 + d;
    }
    *out = size ? value : -1;
    return 1;
}

/* Whether the `n` bytes at `x` and `y` are the same (fields are short: no call). */
static inline int same_bytes(const unsigned char *x, const unsigned char *y, Py_ssize_t n)
{
    for (; n >= 8; x += 8, y += 8, n -= 8) {
        uint64_t u, v;
        memcpy(&u, x, 8);
        memcpy(&v, y, 8);
        if (u != v) return 0;
    }
    for (; n > 0; n--)
        if (*x++ != *y++) return 0;
    return 1;
}

/* A column's field on the line before: where its bytes are and, in a number column,
 * what they read as. */
typedef struct {
    Py_ssize_t start, size;
    int64_t number;
} previous_t;

static Py_ssize_t split(const unsigned char *a, Py_ssize_t start, Py_ssize_t stop, int ncols,
                        const unsigned char *modes, unsigned char delim, Py_ssize_t bound,
                        uint32_t *codes, int ndict, int64_t *numbers, int nnumber, dict_t *dicts,
                        failure_t *f)
{
    const unsigned char *p = a + start, *end = a + stop;
    Py_ssize_t line = 0;
    stops_t stops;
    previous_t before[MAX_COLUMNS];
    make_stops(&stops, delim);
    while (p < end) {
        if (line >= bound) { f->reason = "more lines than expected"; break; }
        int code_slot = 0, number_slot = 0; /* line-major: a line's values side by side */
        for (int c = 0; c < ncols; c++) {
            int last = c == ncols - 1;
            unsigned char ends = last ? '\n' : delim;
            previous_t *b = &before[c];
            /* Most fields repeat the line before's: the same bytes followed by the same
             * end are the same field, read the same way; no need to scan or look it up. */
            if (line > 0 && end - p > b->size && p[b->size] == ends &&
                same_bytes(p, a + b->start, b->size)) {
                if (modes[c] == DICT) {
                    codes[line * ndict + code_slot] = (uint32_t)dicts[code_slot].last;
                    code_slot++;
                } else if (modes[c] == NUMBER) {
                    numbers[line * nnumber + number_slot++] = b->number;
                }
                b->start = p - a;
                p += b->size + 1;
                continue;
            }
            int quoted;
            const unsigned char *e = field_end(p, end, delim, &stops, &quoted, f);
            if (e == NULL) break;
            if (last ? (e < end && *e != '\n') : (e >= end || *e != delim)) {
                f->reason = "a line with another number of fields than the header";
                break;
            }
            Py_ssize_t size = e - p;
            if (modes[c] == DICT) {
                Py_ssize_t k = dict_code(&dicts[code_slot], a, p - a, size, line);
                if (k < 0) { f->reason = "out of memory"; break; }
                codes[line * ndict + code_slot++] = (uint32_t)k;
            } else if (modes[c] == NUMBER) {
                int64_t *out = &numbers[line * nnumber + number_slot++];
                if (!read_number(p, size, quoted, out)) {
                    f->reason = "a number column holding something else than 1 to 18 digits";
                    break;
                }
                b->number = *out;
            }
            b->start = p - a;
            b->size = size;
            p = e + 1;
        }
        if (f->reason != NULL) break;
        line++;
    }
    f->line = line;
    return line;
}

static PyObject *vocabularies(PyObject *data, int ncols, const unsigned char *modes, dict_t *dicts)
{
    PyObject *out = PyList_New(0);
    const char *base = PyBytes_AS_STRING(data);
    int slot = 0;
    for (int c = 0; out != NULL && c < ncols; c++) {
        if (modes[c] != DICT) continue;
        dict_t *d = &dicts[slot++];
        PyObject *words = PyList_New(d->count), *firsts = PyList_New(d->count);
        PyObject *pair = (words && firsts) ? PyTuple_Pack(2, words, firsts) : NULL;
        for (Py_ssize_t i = 0; pair != NULL && i < d->count; i++) {
            PyObject *w = PyBytes_FromStringAndSize(base + d->values[i].start, d->values[i].size);
            PyObject *l = PyLong_FromSsize_t(d->values[i].first);
            if (w == NULL || l == NULL) {
                Py_XDECREF(w);
                Py_XDECREF(l);
                Py_CLEAR(pair);
                break;
            }
            PyList_SET_ITEM(words, i, w);
            PyList_SET_ITEM(firsts, i, l);
        }
        Py_XDECREF(words);
        Py_XDECREF(firsts);
        if (pair == NULL || PyList_Append(out, pair) < 0) Py_CLEAR(out);
        Py_XDECREF(pair);
    }
    return out;
}

static PyObject *split_columns(PyObject *self, PyObject *args)
{
    PyObject *data;
    Py_ssize_t start, bound, nmodes;
    const char *modes;
    int delim;
    Py_buffer codes, numbers;
    (void)self;
    if (!PyArg_ParseTuple(args, "Sny#inw*w*", &data, &start, &modes, &nmodes, &delim, &bound,
                          &codes, &numbers))
        return NULL;
    PyObject *out = NULL;
    int ncols = (int)nmodes, ndict = 0, nnumber = 0;
    for (int c = 0; c < ncols; c++) {
        ndict += modes[c] == DICT;
        nnumber += modes[c] == NUMBER;
    }
    Py_ssize_t stop = PyBytes_GET_SIZE(data);
    dict_t *dicts = calloc((size_t)(ndict ? ndict : 1), sizeof(dict_t));
    if (ncols < 1 || ncols > MAX_COLUMNS || start < 0 || start > stop || bound < 0 ||
        delim < 1 || delim > 127 || delim == '"' || delim == '\n' || delim == '\r') {
        PyErr_SetString(PyExc_ValueError, "bad arguments to split_columns");
    } else if (codes.len < (Py_ssize_t)ndict * bound * 4 ||
               numbers.len < (Py_ssize_t)nnumber * bound * 8) {
        PyErr_SetString(PyExc_ValueError, "the output buffers are too small");
    } else if (dicts == NULL) {
        PyErr_NoMemory();
    } else {
        int ready = 1;
        for (int i = 0; i < ndict; i++) {
            dicts[i].mask = 63;
            dicts[i].last = -1;
            dicts[i].slots = calloc(64, sizeof(int64_t));
            ready &= dicts[i].slots != NULL;
        }
        failure_t f = {NULL, 0};
        Py_ssize_t lines = 0;
        if (ready) {
            Py_BEGIN_ALLOW_THREADS
            lines = split((const unsigned char *)PyBytes_AS_STRING(data), start, stop, ncols,
                          (const unsigned char *)modes, (unsigned char)delim, bound, codes.buf,
                          ndict, numbers.buf, nnumber, dicts, &f);
            Py_END_ALLOW_THREADS
        } else {
            f.reason = "out of memory";
        }
        if (f.reason != NULL) {
            out = Py_BuildValue("(sn)", f.reason, f.line);
        } else {
            PyObject *vocab = vocabularies(data, ncols, (const unsigned char *)modes, dicts);
            if (vocab != NULL) out = Py_BuildValue("(nN)", lines, vocab);
        }
    }
    for (int i = 0; dicts != NULL && i < ndict; i++) dict_free(&dicts[i]);
    free(dicts);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&numbers);
    return out;
}

static PyMethodDef methods[] = {
    {"split_columns", split_columns, METH_VARARGS,
     "split_columns(data, start, modes, delimiter, bound, codes, numbers) -> "
     "(lines, [(values, first_lines) per dictionary column]) or (reason, line)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_splitcsv",
    "Compiled column splitter of small regular CSV files (see splitcsv.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__splitcsv(void) { return PyModule_Create(&module); }
