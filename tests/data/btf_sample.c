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

/* Argument lists (probectl attach's generic capture): a __user string, an untagged one, a struct by
 * value that stops the reading, and a raw tracepoint's typedef with the function that names it. */
#define __user __attribute__((btf_type_tag("user")))

struct sample_task {
    int pid;
};

long sample_open(int dfd, const char __user *filename, const char *name, struct sample_inner by_value, int after)
{
    return dfd + filename[0] + name[0] + by_value.a + after;
}

unsigned char sample_modes(unsigned short mode, _Bool flag, const unsigned char *bytes)
{
    return (unsigned char)(mode + flag + bytes[0]);
}

typedef void (*btf_trace_sample_event)(void *, int, struct sample_task *, const char *);

void __bpf_trace_sample_event(void *__data, int sig, struct sample_task *task, const char *comm)
{
    task->pid = sig + comm[0] + (int)(long)__data;
}

btf_trace_sample_event sample_event_hook = __bpf_trace_sample_event;

/* 5.10's BTF has no __bpf_trace_ functions: the static-call iterator names the arguments there. */
typedef void (*btf_trace_sample_iter)(void *, long, unsigned int);

int __traceiter_sample_iter(void *__data, long value, unsigned int count)
{
    return (int)(value + count + (long)__data);
}

btf_trace_sample_iter sample_iter_hook;
