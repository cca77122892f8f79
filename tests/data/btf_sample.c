/* A small C file whose BTF (clang -g -target bpf) the unit tests read as if it were a kernel's. */
struct sample_inner {
    int a;
    char b;
};

struct sample {
    char c;
    int i;
    struct sample_inner inner;
    unsigned int flag : 3;
    unsigned int more : 5;
    long l;
    char tail;
};

typedef struct sample sample_t;

enum sample_color { SAMPLE_RED, SAMPLE_GREEN = 5 };

union sample_union {
    int i;
    long l;
};

int sample_func(sample_t *s, enum sample_color color, union sample_union *u)
{
    return s->i + (int)color + u->i;
}
