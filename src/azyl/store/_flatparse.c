/* Parse the R `eurostat` package's flat CSV into series: the compiled twin of
 * the numpy reader (`azyl.store.flatchunk`), giving the very same `Series`.
 *
 * A line is `c1,c2,c3,c4,c5,c6,c7,YYYY,value\n`: seven codes (the line's
 * series), a four-digit year and a value of 1 to 18 digits. A parser (`new`)
 * takes the file's lines block after block (`add`, without the GIL, so that
 * zlib inflates the next block in another thread meanwhile), and `finish`
 * hands over the whole file's arrays at once:
 *
 *   - a line with the codes of the line before (nine in ten) is read forwards
 *     from where those codes end; any other line from its end (value, year);
 *   - a line starts a new series when its codes differ (in length or bytes)
 *     from the previous line's, whichever block that line was in; only those
 *     lines are split into codes, and each code is numbered per dimension in
 *     order of first appearance (a small hash table per dimension);
 *   - each series gets a bitmask of its years; a year given twice is refused;
 *   - lines whose value is not zero are listed with their series, year and value.
 *
 * Anything else is refused with a reason (the caller raises NotFlat and the
 * file is read by DuckDB), exactly where the numpy version refuses, plus two
 * more cases: years more than 32 before or 31 after the file's first year, and
 * more than 65,535 codes in one dimension.
 *
 * The arrays grow in regions of their own (`_flatparse.h`) and are handed over
 * without a copy; `cells` (`_flatcells.c`) then makes the series into cells.
 * Built at install time when a C compiler is present (setup.py, optional);
 * without it, the numpy version is used.
 */
#include "_flatparse.h"

#define NDIMS 7
#define MIN_PREFIX 16
#define MAX_PREFIX 64
#define MAX_DIGITS 18
#define MAX_CODE 16
#define MAX_CODES 65535

typedef struct {
    uint64_t low, high; /* a code's 16 zero-padded bytes */
} code_t;

typedef struct {
    code_t *codes;       /* in order of first appearance: the code of number k */
    Py_ssize_t n, room;
    uint32_t *slots;     /* hash table: number + 1, 0 when empty */
    Py_ssize_t mask;
    Py_ssize_t last;     /* the number found last: the next series mostly repeats it */
} dim_t;

typedef struct {
    Py_ssize_t lines, series, nonzero;
    int base, have_base, wide; /* wide, bit d: a code of dimension d is over 8 bytes */
    int finished;              /* its arrays handed over: no more lines */
    uint64_t mask, all;        /* the open series' years; all the years seen */
    unsigned char prev[MAX_PREFIX];
    Py_ssize_t prev_len;       /* codes of the open series (-1: none yet) */
    region_t years;            /* per series: uint64_t */
    region_t ids;              /* per series, NDIMS code numbers: uint16_t */
    region_t nz_series;        /* per non-zero value: uint32_t, int16_t, int64_t */
    region_t nz_year;
    region_t nz_value;
    dim_t dims[NDIMS];
} parser_t;

static inline uint64_t load_word(const unsigned char *p, Py_ssize_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, (size_t)n); /* little-endian machines only (checked at import) */
    return w;
}

/* The `n` (1 to 8) bytes at `p` as the low bytes of a word, the others zero. Reads 8
 * bytes at once (a code is followed by at least ",YYYY,d\n" in its line, so they lie
 * in the data) and masks, instead of copying `n` bytes: a load of bytes just
 * stored one by one stalls the processor. */
static inline uint64_t low_bytes(const unsigned char *p, Py_ssize_t n)
{
    uint64_t w = load_word(p, 8);
    return n >= 8 ? w : w & ((UINT64_C(1) << (8 * n)) - 1);
}

/* Make room for `need` items in the arrays `arrays[k]` of items of `sizes[k]` bytes,
 * which hold `*room` each; 0 when out of memory (the arrays are left as they were). */
static int grow(void **arrays[], const size_t sizes[], int count, Py_ssize_t *room,
                Py_ssize_t need)
{
    if (need <= *room) return 1;
    Py_ssize_t size = *room ? *room : 4096;
    while (size < need) size *= 2;
    for (int k = 0; k < count; k++) {
        void *bigger = realloc(*arrays[k], (size_t)size * sizes[k]);
        if (bigger == NULL) return 0;
        *arrays[k] = bigger;
    }
    *room = size;
    return 1;
}

static uint64_t hash_code(code_t c)
{
    uint64_t h = (c.low ^ (c.high * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
}

/* The number of `c` in its dimension, adding it when new; -1 when out of room. */
static Py_ssize_t code_number(dim_t *d, code_t c)
{
    if (d->last >= 0 && d->codes[d->last].low == c.low && d->codes[d->last].high == c.high)
        return d->last;
    if (d->slots == NULL || 2 * (d->n + 1) > d->mask) { /* (re)build the table, twice as big */
        Py_ssize_t size = d->slots == NULL ? 64 : (d->mask + 1) * 2;
        uint32_t *slots = calloc((size_t)size, sizeof(uint32_t));
        if (slots == NULL) return -1;
        free(d->slots);
        d->slots = slots;
        d->mask = size - 1;
        for (Py_ssize_t k = 0; k < d->n; k++) {
            Py_ssize_t at = (Py_ssize_t)(hash_code(d->codes[k]) & (uint64_t)d->mask);
            while (d->slots[at]) at = (at + 1) & d->mask;
            d->slots[at] = (uint32_t)(k + 1);
        }
    }
    Py_ssize_t at = (Py_ssize_t)(hash_code(c) & (uint64_t)d->mask);
    while (d->slots[at]) {
        code_t *known = &d->codes[d->slots[at] - 1];
        if (known->low == c.low && known->high == c.high) return d->last = d->slots[at] - 1;
        at = (at + 1) & d->mask;
    }
    void **arrays[] = {(void **)&d->codes};
    const size_t sizes[] = {sizeof(code_t)};
    if (d->n == MAX_CODES || !grow(arrays, sizes, 1, &d->room, d->n + 1)) return -1;
    d->codes[d->n] = c;
    d->slots[at] = (uint32_t)(d->n + 1);
    return d->last = d->n++;
}

/* Whether the line at `ls` has the very codes of the open series (`prev`, `plen` bytes)
 * followed by `,YYYY,<1 to 18 digits>\n`: then its year, value and length (newline
 * included) are set. Nine lines in ten continue a series; they are read forwards
 * from the known end of their codes, without looking for the newline first.
 * Anything else (another series, or a line this does not fully check) returns 0
 * and is read by `read_line`, which gives the same result or the reason. */
static inline int continues(const unsigned char *ls, const unsigned char *end,
                            const unsigned char *prev, Py_ssize_t plen, int *year,
                            int64_t *value, Py_ssize_t *next)
{
    if (plen < 0 || end - ls < plen + 8) return 0;
    Py_ssize_t k = 0;
    for (; k + 8 <= plen; k += 8)
        if (load_word(ls + k, 8) != load_word(prev + k, 8)) return 0;
    if (k < plen && load_word(ls + plen - 8, 8) != load_word(prev + plen - 8, 8)) return 0;
    const unsigned char *p = ls + plen;
    unsigned y0 = (unsigned)p[1] - '0', y1 = (unsigned)p[2] - '0';
    unsigned y2 = (unsigned)p[3] - '0', y3 = (unsigned)p[4] - '0';
    if (p[0] != ',' || p[5] != ',' || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9) return 0;
    int64_t v = 0;
    int digits = 0;
    for (p += 6; p < end && *p != '\n'; p++, digits++) {
        unsigned d = (unsigned)*p - '0';
        if (d > 9 || digits == MAX_DIGITS) return 0;
        v = v * 10 + d;
    }
    if (digits == 0 || p >= end) return 0;
    *year = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    *value = v;
    *next = p + 1 - ls;
    return 1;
}

/* Any line: find its newline, read the value and the year from its end; the
 * length of its codes in `plen`. Returns the reason when the line is not in the
 * flat shape, NULL when it is. */
static const char *read_line(const unsigned char *ls, const unsigned char *end, int *year,
                             int64_t *value_out, Py_ssize_t *plen_out, Py_ssize_t *next)
{
    const unsigned char *nl = memchr(ls, '\n', (size_t)(end - ls));
    if (nl == NULL) return "a chunk that does not end with a newline";
    Py_ssize_t len = nl - ls;
    /* the value: 1 to 18 digits after the last comma */
    Py_ssize_t j = len - 1;
    int64_t value = 0, scale = 1;
    int digits = 0;
    while (j >= 0 && ls[j] != ',') {
        unsigned d = (unsigned)ls[j] - '0';
        if (digits == MAX_DIGITS) return "a value longer than 18 digits, or a line without commas";
        if (d > 9) return "a value that is not a whole number of digits";
        value += (int64_t)d * scale;
        scale *= 10;
        digits++;
        j--;
    }
    if (digits == 0 || j < 5) return "a line that does not end in ,YYYY,<digits>";
    /* the year: four digits between two commas */
    unsigned y0 = (unsigned)ls[j - 4] - '0', y1 = (unsigned)ls[j - 3] - '0';
    unsigned y2 = (unsigned)ls[j - 2] - '0', y3 = (unsigned)ls[j - 1] - '0';
    if (ls[j - 5] != ',' || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9)
        return "a line that does not end in ,YYYY,<digits>";
    *year = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    *value_out = value;
    *plen_out = j - 5; /* bytes of the seven codes and their six commas */
    if (*plen_out < MIN_PREFIX || *plen_out > MAX_PREFIX)
        return "a line whose codes are shorter or longer than expected";
    *next = len + 1;
    return NULL;
}

/* Open a series at the line `ls` (its codes `plen` bytes): close the one before,
 * number its seven codes. */
static const char *new_series(parser_t *p, const unsigned char *ls, Py_ssize_t plen)
{
    if (p->series > 0) {
        ((uint64_t *)p->years.data)[p->series - 1] = p->mask;
        p->all |= p->mask;
    }
    p->mask = 0;
    size_t need = (size_t)p->series + 1;
    if (!region_fit(&p->years, need * sizeof(uint64_t)) ||
        !region_fit(&p->ids, need * NDIMS * sizeof(uint16_t)))
        return "out of memory";
    uint16_t *ids = p->ids.data;
    Py_ssize_t b = 0;
    for (int d = 0; d < NDIMS; d++) {
        Py_ssize_t e = b;
        while (e < plen && ls[e] != ',' && ls[e] != 0) e++;
        if (e < plen && ls[e] == 0) return "a zero byte in a line's codes";
        if ((d < NDIMS - 1) != (e < plen)) return "a line without exactly eight commas";
        Py_ssize_t size = e - b;
        if (size < 1 || size > MAX_CODE) return "an empty code, or a code longer than 16 characters";
        code_t c = {low_bytes(ls + b, size < 8 ? size : 8),
                    size > 8 ? low_bytes(ls + b + 8, size - 8) : 0};
        if (size > 8) p->wide |= 1 << d;
        Py_ssize_t k = code_number(&p->dims[d], c);
        if (k < 0) return "more than 65,535 codes in one dimension (or out of memory)";
        ids[p->series * NDIMS + d] = (uint16_t)k;
        b = e + 1;
    }
    memcpy(p->prev, ls, (size_t)plen);
    p->prev_len = plen;
    p->series++;
    return NULL;
}

/* Parse the complete lines in `a[start:stop]` into the parser; the reason on refusal. */
static const char *add_lines(parser_t *p, const unsigned char *a, Py_ssize_t start,
                             Py_ssize_t stop)
{
    const unsigned char *end = a + stop;
    Py_ssize_t pos = start;
    while (pos < stop) {
        const unsigned char *ls = a + pos;
        int year;
        int64_t value;
        Py_ssize_t plen, next;
        const char *reason;
        if (!continues(ls, end, p->prev, p->prev_len, &year, &value, &next)) {
            if ((reason = read_line(ls, end, &year, &value, &plen, &next)) != NULL) return reason;
            if (plen != p->prev_len || memcmp(ls, p->prev, (size_t)plen) != 0)
                if ((reason = new_series(p, ls, plen)) != NULL) return reason;
        }
        if (!p->have_base) {
            p->base = year - 32;
            p->have_base = 1;
        }
        int bit = year - p->base;
        if (bit < 0 || bit > 63) return "years more than 63 apart";
        uint64_t one = (uint64_t)1 << bit;
        if (p->mask & one) return "a cell given twice (the same codes and year on two lines)";
        p->mask |= one;
        if (value != 0) {
            size_t need = (size_t)p->nonzero + 1;
            if (!region_fit(&p->nz_series, need * sizeof(uint32_t)) ||
                !region_fit(&p->nz_year, need * sizeof(int16_t)) ||
                !region_fit(&p->nz_value, need * sizeof(int64_t)))
                return "out of memory";
            ((uint32_t *)p->nz_series.data)[p->nonzero] = (uint32_t)(p->series - 1);
            ((int16_t *)p->nz_year.data)[p->nonzero] = (int16_t)year;
            ((int64_t *)p->nz_value.data)[p->nonzero] = value;
            p->nonzero++;
        }
        p->lines++;
        pos += next;
    }
    return NULL;
}

/* --- the Python interface: a parser in a capsule, arrays in regions ---------------------- */

/* A region handed over to Python: read-only bytes through the buffer protocol, seen
 * through a memoryview (numpy views it with `frombuffer`), unmapped when the last view
 * is gone. */
typedef struct {
    PyObject_HEAD
    region_t region;
    Py_ssize_t len; /* bytes in use */
} RegionObject;

static int region_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    RegionObject *r = (RegionObject *)self;
    return PyBuffer_FillInfo(view, self, r->region.data, r->len, 1, flags);
}

static void region_dealloc(PyObject *self)
{
    region_free(&((RegionObject *)self)->region);
    Py_TYPE(self)->tp_free(self);
}

static PyBufferProcs region_buffer = {region_getbuffer, NULL};

static PyTypeObject RegionType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "azyl.store._flatparse.Region",
    .tp_basicsize = sizeof(RegionObject),
    .tp_dealloc = region_dealloc,
    .tp_as_buffer = &region_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An array of the parser's, handed over without copying (read-only buffer).",
};

PyObject *tuple_of(PyObject *items[], int count)
{
    int complete = 1;
    for (int k = 0; k < count; k++) complete &= items[k] != NULL;
    PyObject *tuple = complete ? PyTuple_New(count) : NULL;
    for (int k = 0; k < count; k++) {
        if (tuple != NULL) PyTuple_SET_ITEM(tuple, k, items[k]);
        else Py_XDECREF(items[k]);
    }
    return tuple;
}

PyObject *hand_over(region_t *r, Py_ssize_t len)
{
    if (len == 0) {
        region_free(r);
        Py_RETURN_NONE;
    }
    RegionObject *out = PyObject_New(RegionObject, &RegionType);
    if (out == NULL) {
        region_free(r);
        return NULL;
    }
    out->region = *r;
    out->len = len;
    *r = (region_t){NULL, 0};
    PyObject *view = PyMemoryView_FromObject((PyObject *)out);
    Py_DECREF(out);
    return view;
}

static const char *CAPSULE = "azyl.store._flatparse.parser";

static void parser_free(PyObject *capsule)
{
    parser_t *p = PyCapsule_GetPointer(capsule, CAPSULE);
    if (p == NULL) return;
    region_free(&p->years);
    region_free(&p->ids);
    region_free(&p->nz_series);
    region_free(&p->nz_year);
    region_free(&p->nz_value);
    for (int d = 0; d < NDIMS; d++) {
        free(p->dims[d].codes);
        free(p->dims[d].slots);
    }
    free(p);
}

static PyObject *new_parser(PyObject *self, PyObject *args)
{
    (void)self;
    (void)args;
    parser_t *p = calloc(1, sizeof(parser_t));
    if (p == NULL) return PyErr_NoMemory();
    p->prev_len = -1;
    for (int d = 0; d < NDIMS; d++) p->dims[d].last = -1;
    PyObject *capsule = PyCapsule_New(p, CAPSULE, parser_free);
    if (capsule == NULL) free(p);
    return capsule;
}

static PyObject *add(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    Py_buffer data;
    Py_ssize_t start, stop;
    (void)self;
    if (!PyArg_ParseTuple(args, "Oy*nn", &capsule, &data, &start, &stop)) return NULL;
    parser_t *p = PyCapsule_GetPointer(capsule, CAPSULE);
    PyObject *out = NULL;
    if (p != NULL && p->finished) {
        PyErr_SetString(PyExc_ValueError, "the parser was finished already");
    } else if (p != NULL && (start < 0 || stop > data.len || start > stop)) {
        PyErr_SetString(PyExc_ValueError, "start and stop must lie within the data");
    } else if (p != NULL) {
        const char *reason;
        Py_BEGIN_ALLOW_THREADS
        reason = add_lines(p, (const unsigned char *)data.buf, start, stop);
        Py_END_ALLOW_THREADS
        out = reason == NULL ? Py_NewRef(Py_None) : PyUnicode_FromString(reason);
    }
    PyBuffer_Release(&data);
    return out;
}

typedef struct {
    code_t code;
    Py_ssize_t number;
} ranked_t;

static int by_words(const void *a, const void *b)
{
    const code_t *x = &((const ranked_t *)a)->code, *y = &((const ranked_t *)b)->code;
    if (x->low != y->low) return x->low < y->low ? -1 : 1;
    return x->high < y->high ? -1 : x->high > y->high;
}

/* Renumber the codes of each dimension in the order of their two words (as the numpy
 * reader numbers them), and lay the numbers out dimension after dimension:
 * `out[d * series + s]`. Sorts `codes` in place; 0 when out of memory. */
static int renumber(parser_t *p, uint16_t *out)
{
    const uint16_t *ids = p->ids.data;
    for (int d = 0; d < NDIMS; d++) {
        dim_t *dim = &p->dims[d];
        ranked_t *ranked = malloc((size_t)(dim->n ? dim->n : 1) * sizeof(ranked_t));
        uint16_t *rank = malloc((size_t)(dim->n ? dim->n : 1) * sizeof(uint16_t));
        if (ranked == NULL || rank == NULL) {
            free(ranked);
            free(rank);
            return 0;
        }
        for (Py_ssize_t k = 0; k < dim->n; k++) ranked[k] = (ranked_t){dim->codes[k], k};
        qsort(ranked, (size_t)dim->n, sizeof(ranked_t), by_words);
        for (Py_ssize_t k = 0; k < dim->n; k++) {
            rank[ranked[k].number] = (uint16_t)k;
            dim->codes[k] = ranked[k].code;
        }
        for (Py_ssize_t s = 0; s < p->series; s++)
            out[d * p->series + s] = rank[ids[s * NDIMS + d]];
        free(ranked);
        free(rank);
    }
    return 1;
}

static PyObject *finish(PyObject *self, PyObject *args)
{
    PyObject *capsule;
    (void)self;
    if (!PyArg_ParseTuple(args, "O", &capsule)) return NULL;
    parser_t *p = PyCapsule_GetPointer(capsule, CAPSULE);
    if (p == NULL) return NULL;
    if (p->finished) {
        PyErr_SetString(PyExc_ValueError, "the parser was finished already");
        return NULL;
    }
    p->finished = 1; /* even when handing over fails: its arrays may be gone */
    uint64_t *years = p->years.data;
    if (p->series > 0) {
        years[p->series - 1] = p->mask;
        p->all |= p->mask;
        p->mask = 0;
    }
    /* count the years from the file's first year, as the numpy version does */
    int shift = p->all ? __builtin_ctzll(p->all) : 0;
    for (Py_ssize_t s = 0; shift && s < p->series; s++) years[s] >>= shift;
    p->all >>= shift;
    p->base += shift;
    Py_ssize_t n_ids = p->series * NDIMS * (Py_ssize_t)sizeof(uint16_t);
    region_t numbered = {NULL, 0};
    if (!region_fit(&numbered, (size_t)n_ids) || !renumber(p, numbered.data)) {
        region_free(&numbered);
        return PyErr_NoMemory();
    }
    region_free(&p->ids);
    PyObject *vocab = PyList_New(NDIMS);
    for (int d = 0; vocab != NULL && d < NDIMS; d++) {
        PyObject *codes = PyBytes_FromStringAndSize((const char *)p->dims[d].codes,
                                                    p->dims[d].n * (Py_ssize_t)sizeof(code_t));
        if (codes == NULL) Py_CLEAR(vocab);
        else PyList_SET_ITEM(vocab, d, codes);
    }
    PyObject *items[] = {
        PyLong_FromSsize_t(p->lines),
        PyLong_FromLong(p->base),
        PyLong_FromLong(p->wide),
        hand_over(&p->years, p->series * (Py_ssize_t)sizeof(uint64_t)),
        hand_over(&numbered, n_ids),
        hand_over(&p->nz_series, p->nonzero * (Py_ssize_t)sizeof(uint32_t)),
        hand_over(&p->nz_year, p->nonzero * (Py_ssize_t)sizeof(int16_t)),
        hand_over(&p->nz_value, p->nonzero * (Py_ssize_t)sizeof(int64_t)),
        vocab,
    };
    return tuple_of(items, 9);
}

static PyMethodDef methods[] = {
    {"new", new_parser, METH_NOARGS, "new() -> a parser for one file's lines."},
    {"add", add, METH_VARARGS,
     "add(parser, data, start, stop) -> None, or the reason the lines in data[start:stop] "
     "(complete lines, in file order) are not exactly in the flat shape."},
    {"finish", finish, METH_VARARGS,
     "finish(parser) -> (lines, year_base, wide, series_years, code_numbers, nonzero_series, "
     "nonzero_year, nonzero_value, vocabularies): arrays as read-only memoryviews of the "
     "parser's memory, None when empty (uint64; uint16, dimension after dimension; uint32, "
     "int16, int64); per dimension its codes, in the order they are numbered, as 16 "
     "zero-padded bytes each. The parser can be finished only once."},
    {"cells", flat_cells, METH_VARARGS,
     "cells(years, geo, citizen, category, sex, age, n_age, nonzero_series, nonzero_year, "
     "year_base) -> (used, group_year, group_citizen, group_category, group_geo, "
     "group_breakdowns, nonzero_group, nonzero_breakdown), the reason the series cannot be "
     "cells (a str), or None to leave them to the numpy version (too many sex x age codes)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_flatparse",
    "Compiled parser of the R eurostat package's flat CSV (see flatchunk.py).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__flatparse(void)
{
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1) {
        PyErr_SetString(PyExc_ImportError, "_flatparse assumes a little-endian machine");
        return NULL;
    }
    if (PyType_Ready(&RegionType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddObjectRef(m, "Region", (PyObject *)&RegionType) < 0) Py_CLEAR(m);
    return m;
}
