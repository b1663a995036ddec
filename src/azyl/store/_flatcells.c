/* The cells of a flat file's series: the compiled twin of the numpy half of
 * `azyl.store.flatcsv._cells`, giving the very same arrays and refusing the very
 * same series with the very same reasons (NotFlat).
 *
 * From each series' years (a bitmask), codes (geo, citizen, category, sex, age)
 * and the lines whose value is not zero:
 *
 *   - the (sex, age) combinations present, in order: each series' *breakdown*
 *     is its rank among them (at most 64, a bit of a 64-bit mask);
 *   - *blocks*: runs of series with the same (geo, citizen, category), each of
 *     which must come in one run and hold each breakdown once;
 *   - the coverage: per block and year, the bitmask of the breakdowns reported;
 *     a *group* is a (block, year) with at least one, numbered in that order;
 *   - per non-zero value, its group and breakdown.
 *
 * One pass or two over the series, without the GIL; the arrays go to Python as
 * regions, without a copy.
 */
#include "_flatparse.h"

#define MAX_COMBINATIONS ((Py_ssize_t)1 << 22)

typedef struct {
    Py_ssize_t series, nonzero, n_age, combinations;
    int year_base;
    const uint64_t *years;
    const uint16_t *geo, *citizen, *category, *sex, *age;
    const uint32_t *nz_series;
    const int16_t *nz_year;
    /* results */
    int span;
    Py_ssize_t used, blocks, groups;
    Py_ssize_t used_codes[64];
    region_t group_year, group_citizen, group_category, group_geo, group_breakdowns;
    region_t nonzero_group, nonzero_breakdown;
} cells_t;

static void cells_free(cells_t *c)
{
    region_t *all[] = {&c->group_year, &c->group_citizen, &c->group_category, &c->group_geo,
                       &c->group_breakdowns, &c->nonzero_group, &c->nonzero_breakdown};
    for (int k = 0; k < 7; k++) region_free(all[k]);
}

/* Each series' rank among the (sex, age) combinations present, in `slot`. */
static const char *breakdowns(cells_t *c, uint8_t *slot)
{
    int16_t *rank = malloc((size_t)(c->combinations ? c->combinations : 1) * sizeof(int16_t));
    if (rank == NULL) return "out of memory";
    for (Py_ssize_t k = 0; k < c->combinations; k++) rank[k] = -1;
    for (Py_ssize_t s = 0; s < c->series; s++) rank[c->sex[s] * c->n_age + c->age[s]] = 0;
    c->used = 0;
    for (Py_ssize_t k = 0; k < c->combinations; k++) {
        if (rank[k] < 0) continue;
        if (c->used == 64) {
            free(rank);
            return "more than 64 sex × age breakdowns";
        }
        c->used_codes[c->used] = k;
        rank[k] = (int16_t)c->used++;
    }
    for (Py_ssize_t s = 0; s < c->series; s++)
        slot[s] = (uint8_t)rank[c->sex[s] * c->n_age + c->age[s]];
    free(rank);
    return NULL;
}

/* Runs of series with the same (geo, citizen, category): each series' block in `block`,
 * each block's first series in `first` (room for every series). */
static const char *blocks(cells_t *c, const uint8_t *slot, uint32_t *block, uint32_t *first)
{
    Py_ssize_t n = 0;
    for (Py_ssize_t s = 0; s < c->series; s++) {
        if (s == 0 || c->geo[s] != c->geo[s - 1] || c->citizen[s] != c->citizen[s - 1] ||
            c->category[s] != c->category[s - 1])
            first[n++] = (uint32_t)s;
        block[s] = (uint32_t)(n - 1);
    }
    c->blocks = n;
    Py_ssize_t size = 64;
    while (size < 2 * n) size *= 2;
    uint64_t *keys = calloc((size_t)size, sizeof(uint64_t)); /* key + 1; 0 when empty */
    uint64_t *seen = calloc((size_t)(n ? n : 1), sizeof(uint64_t));
    const char *reason = keys == NULL || seen == NULL ? "out of memory" : NULL;
    for (Py_ssize_t b = 0; reason == NULL && b < n; b++) {
        uint32_t s = first[b];
        uint64_t key = (uint64_t)c->citizen[s] << 32 | (uint64_t)c->geo[s] << 16;
        key = (key | c->category[s]) + 1;
        Py_ssize_t at = (Py_ssize_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (size - 1);
        while (keys[at] && keys[at] != key) at = (at + 1) & (size - 1);
        if (keys[at]) reason = "the series of one citizenship, category and geo are not together";
        keys[at] = key;
    }
    for (Py_ssize_t s = 0; reason == NULL && s < c->series; s++) {
        uint64_t bit = (uint64_t)1 << slot[s];
        if (seen[block[s]] & bit) reason = "a series given twice";
        seen[block[s]] |= bit;
    }
    free(keys);
    free(seen);
    return reason;
}

/* The groups (block, year) with at least one cell, and where each non-zero value lies. */
static const char *groups(cells_t *c, const uint8_t *slot, const uint32_t *block,
                          const uint32_t *first)
{
    Py_ssize_t span = c->span, size = c->blocks * span;
    uint64_t *coverage = calloc((size_t)(size ? size : 1), sizeof(uint64_t));
    uint32_t *group_of = malloc((size_t)(size ? size : 1) * sizeof(uint32_t));
    if (coverage == NULL || group_of == NULL) {
        free(coverage);
        free(group_of);
        return "out of memory";
    }
    for (Py_ssize_t s = 0; s < c->series; s++) {
        uint64_t bit = (uint64_t)1 << slot[s], years = c->years[s];
        uint64_t *row = coverage + (Py_ssize_t)block[s] * span;
        for (; years; years &= years - 1) row[__builtin_ctzll(years)] |= bit;
    }
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < size; k++) n += coverage[k] != 0;
    c->groups = n;
    const char *reason = NULL;
    if (!region_fit(&c->group_year, (size_t)n * sizeof(int16_t)) ||
        !region_fit(&c->group_citizen, (size_t)n * sizeof(uint16_t)) ||
        !region_fit(&c->group_category, (size_t)n * sizeof(uint16_t)) ||
        !region_fit(&c->group_geo, (size_t)n * sizeof(uint16_t)) ||
        !region_fit(&c->group_breakdowns, (size_t)n * sizeof(uint64_t)) ||
        !region_fit(&c->nonzero_group, (size_t)c->nonzero * sizeof(uint32_t)) ||
        !region_fit(&c->nonzero_breakdown, (size_t)c->nonzero))
        reason = "out of memory";
    for (Py_ssize_t k = 0, g = 0; reason == NULL && k < size; k++) {
        if (coverage[k] == 0) continue;
        uint32_t s = first[k / span];
        ((int16_t *)c->group_year.data)[g] = (int16_t)(k % span + c->year_base);
        ((uint16_t *)c->group_citizen.data)[g] = c->citizen[s];
        ((uint16_t *)c->group_category.data)[g] = c->category[s];
        ((uint16_t *)c->group_geo.data)[g] = c->geo[s];
        ((uint64_t *)c->group_breakdowns.data)[g] = coverage[k];
        group_of[k] = (uint32_t)g++;
    }
    for (Py_ssize_t i = 0; reason == NULL && i < c->nonzero; i++) {
        uint32_t s = c->nz_series[i];
        int year = c->nz_year[i] - c->year_base;
        if ((Py_ssize_t)s >= c->series || year < 0 || year >= span ||
            !(c->years[s] >> year & 1)) {
            reason = "a non-zero value outside the years of its series";
            break;
        }
        ((uint32_t *)c->nonzero_group.data)[i] = group_of[(Py_ssize_t)block[s] * span + year];
        ((uint8_t *)c->nonzero_breakdown.data)[i] = slot[s];
    }
    free(coverage);
    free(group_of);
    return reason;
}

static const char *all_cells(cells_t *c)
{
    uint64_t all = 0;
    for (Py_ssize_t s = 0; s < c->series; s++) all |= c->years[s];
    c->span = all ? 64 - __builtin_clzll(all) : 0;
    uint8_t *slot = malloc((size_t)(c->series ? c->series : 1));
    uint32_t *block = malloc((size_t)(c->series ? c->series : 1) * sizeof(uint32_t));
    uint32_t *first = malloc((size_t)(c->series ? c->series : 1) * sizeof(uint32_t));
    const char *reason = slot == NULL || block == NULL || first == NULL ? "out of memory" : NULL;
    if (reason == NULL) reason = breakdowns(c, slot);
    if (reason == NULL) reason = blocks(c, slot, block, first);
    if (reason == NULL) reason = groups(c, slot, block, first);
    free(slot);
    free(block);
    free(first);
    return reason;
}

static PyObject *cells_result(cells_t *c)
{
    PyObject *used = PyList_New(c->used);
    for (Py_ssize_t k = 0; used != NULL && k < c->used; k++) {
        PyObject *code = PyLong_FromSsize_t(c->used_codes[k]);
        if (code == NULL) Py_CLEAR(used);
        else PyList_SET_ITEM(used, k, code);
    }
    PyObject *items[] = {
        used,
        hand_over(&c->group_year, c->groups * (Py_ssize_t)sizeof(int16_t)),
        hand_over(&c->group_citizen, c->groups * (Py_ssize_t)sizeof(uint16_t)),
        hand_over(&c->group_category, c->groups * (Py_ssize_t)sizeof(uint16_t)),
        hand_over(&c->group_geo, c->groups * (Py_ssize_t)sizeof(uint16_t)),
        hand_over(&c->group_breakdowns, c->groups * (Py_ssize_t)sizeof(uint64_t)),
        hand_over(&c->nonzero_group, c->nonzero * (Py_ssize_t)sizeof(uint32_t)),
        hand_over(&c->nonzero_breakdown, c->nonzero),
    };
    return tuple_of(items, 8);
}

PyObject *flat_cells(PyObject *self, PyObject *args)
{
    Py_buffer b[8]; /* years, geo, citizen, category, sex, age, nonzero series, nonzero year */
    Py_ssize_t n_age;
    int year_base;
    (void)self;
    memset(b, 0, sizeof(b));
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*ny*y*i", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
                          &n_age, &b[6], &b[7], &year_base))
        return NULL; /* the buffers got so far are released by the parser */
    cells_t c;
    memset(&c, 0, sizeof(c));
    c.series = b[0].len / (Py_ssize_t)sizeof(uint64_t);
    c.nonzero = b[6].len / (Py_ssize_t)sizeof(uint32_t);
    c.n_age = n_age;
    c.year_base = year_base;
    int sizes_ok = b[0].len == c.series * 8 && b[7].len == c.nonzero * 2 && n_age > 0;
    uint16_t n_sex = 0;
    for (int k = 1; k < 6; k++) sizes_ok &= b[k].len == c.series * 2;
    for (Py_ssize_t s = 0; sizes_ok && s < c.series; s++) {
        uint16_t sex = ((const uint16_t *)b[4].buf)[s], age = ((const uint16_t *)b[5].buf)[s];
        if (sex >= n_sex) n_sex = sex + 1;
        sizes_ok &= age < n_age;
    }
    PyObject *out = NULL;
    c.combinations = (Py_ssize_t)n_sex * n_age;
    if (!sizes_ok) {
        PyErr_SetString(PyExc_ValueError, "cells: arrays of unexpected sizes or codes");
    } else if (c.combinations > MAX_COMBINATIONS) {
        out = Py_NewRef(Py_None); /* the numpy version handles it */
    } else {
        c.years = b[0].buf;
        c.geo = b[1].buf;
        c.citizen = b[2].buf;
        c.category = b[3].buf;
        c.sex = b[4].buf;
        c.age = b[5].buf;
        c.nz_series = b[6].buf;
        c.nz_year = b[7].buf;
        const char *reason;
        Py_BEGIN_ALLOW_THREADS
        reason = all_cells(&c);
        Py_END_ALLOW_THREADS
        if (reason != NULL) {
            out = PyUnicode_FromString(reason);
        } else {
            out = cells_result(&c);
        }
    }
    cells_free(&c);
    for (int k = 0; k < 8; k++) PyBuffer_Release(&b[k]);
    return out;
}
