/* What the two files of `azyl.store._flatparse` share: growable arrays of bytes
 * ("regions"), their handing over to Python without a copy, and the result tuple. */
#ifndef AZYL_FLATPARSE_H
#define AZYL_FLATPARSE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* A growable array of bytes. On Linux it is its own memory mapping: growing it
 * moves its pages (`mremap`) instead of copying them, it asks for huge pages
 * (one page fault per 2 MiB instead of per 4 KiB: a fault costs more than
 * parsing the bytes it maps), and `finish` hands it to Python as it is (a
 * `Region` object) instead of copying it into bytes. Elsewhere, `realloc`. */
typedef struct {
    void *data;
    size_t bytes; /* mapped or allocated */
} region_t;

#define REGION_START ((size_t)2 << 20)

static inline int region_grow(region_t *r, size_t need)
{
    size_t size = r->bytes ? r->bytes : REGION_START;
    while (size < need) size *= 2;
#ifdef __linux__
    void *p = r->data == NULL
                  ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                  : mremap(r->data, r->bytes, size, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) return 0;
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE); /* a hint: refused or ignored, it changes nothing */
#endif
#else
    void *p = realloc(r->data, size);
    if (p == NULL) return 0;
#endif
    r->data = p;
    r->bytes = size;
    return 1;
}

/* Make room for `need` bytes in `r`; 0 when out of memory (`r` is left as it was). */
static inline int region_fit(region_t *r, size_t need)
{
    return need <= r->bytes || region_grow(r, need);
}

static inline void region_free(region_t *r)
{
#ifdef __linux__
    if (r->data != NULL) munmap(r->data, r->bytes);
#else
    free(r->data);
#endif
    r->data = NULL;
    r->bytes = 0;
}

/* `len` bytes of `r` as a memoryview of Python's, which takes the memory (`r` is
 * emptied); None when `len` is 0. NULL, `r` freed, when out of memory. */
PyObject *hand_over(region_t *r, Py_ssize_t len);

/* A tuple of `items`, whose references it takes; NULL when one of them is NULL (its
 * error set), every other item released. */
PyObject *tuple_of(PyObject *items[], int count);

/* cells(...): the cells of a file's series (`_flatcells.c`). */
PyObject *flat_cells(PyObject *self, PyObject *args);

#endif
