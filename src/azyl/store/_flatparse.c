/* Parse complete lines of the R `eurostat` package's flat CSV: the compiled
 * twin of `azyl.store.flatchunk.parse_chunk`, producing the very same arrays.
 *
 * A line is `c1,c2,c3,c4,c5,c6,c7,YYYY,value\n`: seven codes (the line's
 * series), a four-digit year and a value of 1 to 18 digits. One pass over the
 * lines, with the GIL released so that zlib can inflate the next block in
 * another thread meanwhile:
 *
 *   - a line with the codes of the line before (nine in ten) is read forwards
 *     from where those codes end; any other line from its end (value, year);
 *   - a line starts a new series when its codes differ (in length or bytes)
 *     from the previous line's; only those lines are split into codes, each
 *     stored as its 16 zero-padded bytes (two little-endian 64-bit words);
 *   - each series gets a bitmask of its years; a year given twice is refused;
 *   - lines whose value is not zero are listed with their series, year and value.
 *
 * Anything else is refused with a reason (the caller raises NotFlat and the
 * file is read by DuckDB), exactly where the numpy version refuses, plus one
 * more case: years more than 32 before or 31 after the block's first year.
 * Built at install time when a C compiler is present (setup.py, optional);
 * without it, the numpy version is used.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define NDIMS 7
#define MIN_PREFIX 16
#define MAX_PREFIX 64
#define MAX_DIGITS 18
#define MAX_CODE 16

typedef struct {
    const char *reason;
    Py_ssize_t lines, series, nonzero;
    int year_base;
    int wide; /* bit d: some code of dimension d is longer than 8 bytes */
} result_t;

static inline uint64_t load_word(const unsigned char *p, Py_ssize_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, (size_t)n); /* little-endian machines only (checked at import) */
    return w;
}

/* Whether the line at `ls` has the very codes of the previous line (`prev`, `plen` bytes)
 * followed by `,YYYY,<1 to 18 digits>\n`: then its year, value and length (newline
 * included) are set. Nine lines in ten continue a series; they are read forwards
 * from the known end of their codes, without looking for the newline first.
 * Anything else (another series, or a line this does not fully check) returns 0
 * and is read by `read_line`, which gives the same result or the reason. */
static inline int continues(const unsigned char *ls, const unsigned char *end,
                            const unsigned char *prev, Py_ssize_t plen, int *year,
                            int64_t *value, Py_ssize_t *next)
{
    if (end - ls < plen + 8) return 0;
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
 * length of its codes in `plen`. Returns 0 with the reason set when the line is
 * not in the flat shape. */
static int read_line(const unsigned char *ls, const unsigned char *end, int *year,
                     int64_t *value_out, Py_ssize_t *plen_out, Py_ssize_t *next, result_t *r)
{
    const unsigned char *nl = memchr(ls, '\n', (size_t)(end - ls));
    if (nl == NULL) { r->reason = "a chunk that does not end with a newline"; return 0; }
    Py_ssize_t len = nl - ls;
    /* the value: 1 to 18 digits after the last comma */
    Py_ssize_t j = len - 1;
    int64_t value = 0, scale = 1;
    int digits = 0;
    while (j >= 0 && ls[j] != ',') {
        unsigned d = (unsigned)ls[j] - '0';
        if (d > 9 || digits == MAX_DIGITS) {
            r->reason = digits == MAX_DIGITS ? "a value longer than 18 digits, or a line without commas"
                                             : "a value that is not a whole number of digits";
            return 0;
        }
        value += (int64_t)d * scale;
        scale *= 10;
        digits++;
        j--;
    }
    if (digits == 0 || j < 5) { r->reason = "a line that does not end in ,YYYY,<digits>"; return 0; }
    /* the year: four digits between two commas */
    unsigned y0 = (unsigned)ls[j - 4] - '0', y1 = (unsigned)ls[j - 3] - '0';
    unsigned y2 = (unsigned)ls[j - 2] - '0', y3 = (unsigned)ls[j - 1] - '0';
    if (ls[j - 5] != ',' || y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9) {
        r->reason = "a line that does not end in ,YYYY,<digits>";
        return 0;
    }
    *year = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    *value_out = value;
    *plen_out = j - 5; /* bytes of the seven codes and their six commas */
    if (*plen_out < MIN_PREFIX || *plen_out > MAX_PREFIX) {
        r->reason = "a line whose codes are shorter or longer than expected";
        return 0;
    }
    *next = len + 1;
    return 1;
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

static void parse(const unsigned char *a, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t bound,
                  int64_t *series_line, uint64_t *series_years, int64_t *nz_series,
                  int16_t *nz_year, int64_t *nz_value, uint64_t *codes, result_t *r)
{
    Py_ssize_t pos = start, line = 0, ns = 0, nz = 0;
    const unsigned char *prev = NULL;
    Py_ssize_t prev_len = -1;
    int base = 0, have_base = 0;
    uint64_t mask = 0, all = 0;
    while (pos < stop) {
        const unsigned char *ls = a + pos;
        if (line >= bound) { r->reason = "more lines than the chunk can hold"; return; }
        int year, same = 0;
        int64_t value;
        Py_ssize_t plen, next;
        if (prev != NULL && continues(ls, a + stop, prev, prev_len, &year, &value, &next)) {
            plen = prev_len; /* the same seven codes as the line before: same series */
            same = 1;
        } else if (!read_line(ls, a + stop, &year, &value, &plen, &next, r)) {
            return;
        }
        if (!have_base) { base = year - 32; have_base = 1; }
        int bit = year - base;
        if (bit < 0 || bit > 63) { r->reason = "years more than 63 apart"; return; }
        if (!same && (plen != prev_len || memcmp(ls, prev, (size_t)plen) != 0)) {
            /* a new series: close the previous one, split this line's codes */
            if (ns > 0) { series_years[ns - 1] = mask; all |= mask; }
            mask = 0;
            Py_ssize_t b = 0;
            for (int d = 0; d < NDIMS; d++) {
                Py_ssize_t e = b;
                while (e < plen && ls[e] != ',' && ls[e] != 0) e++;
                if (e < plen && ls[e] == 0) { r->reason = "a zero byte in a line's codes"; return; }
                if ((d < NDIMS - 1) != (e < plen)) { r->reason = "a line without exactly eight commas"; return; }
                Py_ssize_t size = e - b;
                if (size < 1 || size > MAX_CODE) {
                    r->reason = "an empty code, or a code longer than 16 characters";
                    return;
                }
                /* series-major: a series' 14 words side by side, written in order */
                uint64_t *slot = codes + (ns * NDIMS + d) * 2;
                slot[0] = low_bytes(ls + b, size < 8 ? size : 8);
                slot[1] = size > 8 ? low_bytes(ls + b + 8, size - 8) : 0;
                if (size > 8) r->wide |= 1 << d;
                b = e + 1;
            }
            series_line[ns++] = line;
            prev = ls;
            prev_len = plen;
        }
        uint64_t one = (uint64_t)1 << bit;
        if (mask & one) { r->reason = "a cell given twice (the same codes and year on two lines)"; return; }
        mask |= one;
        if (value != 0) {
            nz_series[nz] = ns - 1;
            nz_year[nz] = (int16_t)year;
            nz_value[nz] = value;
            nz++;
        }
        line++;
        pos += next;
    }
    if (ns > 0) { series_years[ns - 1] = mask; all |= mask; }
    /* count the years from the block's first year, as the numpy version does */
    int shift = all ? __builtin_ctzll(all) : 0;
    if (shift)
        for (Py_ssize_t s = 0; s < ns; s++) series_years[s] >>= shift;
    r->lines = line;
    r->series = ns;
    r->nonzero = nz;
    r->year_base = base + shift;
}

static int writable(Py_buffer *view, Py_ssize_t items, Py_ssize_t itemsize, const char *name)
{
    if (view->len < items * itemsize) {
        PyErr_Format(PyExc_ValueError, "%s holds fewer than %zd items", name, items);
        return 0;
    }
    return 1;
}

static PyObject *parse_lines(PyObject *self, PyObject *args)
{
    Py_buffer data, sl, sy, nl, ny, nv, cd;
    Py_ssize_t start, stop, bound;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*nnnw*w*w*w*w*w*", &data, &start, &stop, &bound, &sl, &sy, &nl,
                          &ny, &nv, &cd))
        return NULL;
    PyObject *out = NULL;
    result_t r = {NULL, 0, 0, 0, 0, 0};
    if (start < 0 || stop > data.len || start > stop || bound < 0) {
        PyErr_SetString(PyExc_ValueError, "start and stop must lie within the data");
    } else if (writable(&sl, bound, 8, "series_line") && writable(&sy, bound, 8, "series_years") &&
               writable(&nl, bound, 8, "nonzero_series") && writable(&ny, bound, 2, "nonzero_year") &&
               writable(&nv, bound, 8, "nonzero_value") &&
               writable(&cd, bound * NDIMS * 2, 8, "codes")) {
        Py_BEGIN_ALLOW_THREADS
        parse((const unsigned char *)data.buf, start, stop, bound, sl.buf, sy.buf, nl.buf, ny.buf,
              nv.buf, cd.buf, &r);
        Py_END_ALLOW_THREADS
        if (r.reason != NULL)
            out = Py_BuildValue("(s)", r.reason);
        else
            out = Py_BuildValue("(nnnii)", r.lines, r.series, r.nonzero, r.year_base, r.wide);
    }
    PyBuffer_Release(&data);
    PyBuffer_Release(&sl);
    PyBuffer_Release(&sy);
    PyBuffer_Release(&nl);
    PyBuffer_Release(&ny);
    PyBuffer_Release(&nv);
    PyBuffer_Release(&cd);
    return out;
}

static PyMethodDef methods[] = {
    {"parse_lines", parse_lines, METH_VARARGS,
     "parse_lines(data, start, stop, bound, series_line, series_years, nonzero_series, "
     "nonzero_year, nonzero_value, codes) -> (lines, series, nonzero, year_base, wide) "
     "or (reason,) when the lines are not exactly in the flat shape."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_flatparse",
    "Compiled parser of the R eurostat package's flat CSV (see flatchunk.py).", -1, methods,
};

PyMODINIT_FUNC PyInit__flatparse(void)
{
    const uint16_t probe = 1;
    if (*(const unsigned char *)&probe != 1) {
        PyErr_SetString(PyExc_ImportError, "_flatparse assumes a little-endian machine");
        return NULL;
    }
    return PyModule_Create(&module);
}
