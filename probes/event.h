/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one event record every probectl hook emits, shared by the BPF objects (C) and probectl (C++).
 * Plain C with fixed-width fields only: no vmlinux.h, so that the C++ side can include it.
 * The C++ side static_asserts its size and offsets (loader/event_decode.cpp).
 */
#ifndef PROBECTL_EVENT_H
#define PROBECTL_EVENT_H

#ifdef __cplusplus
#include <cstdint>
typedef std::uint32_t pctl_u32;
typedef std::uint64_t pctl_u64;
typedef std::int64_t pctl_s64;
#elif defined(__VMLINUX_H__)
typedef __u32 pctl_u32;
typedef __u64 pctl_u64;
typedef __s64 pctl_s64;
#else
#include <stdint.h>
typedef uint32_t pctl_u32;
typedef uint64_t pctl_u64;
typedef int64_t pctl_s64;
#endif

#define PCTL_COMM_LEN	  16
#define PCTL_FILENAME_LEN 256
#define PCTL_MAX_ARGS	  16
#define PCTL_ARG_LEN	  128

/*
 * Which hook emitted an event: one line per hook type, each named by one registry entry
 * (attach/registry.cpp). Values are stable: they are recorded in files. A new hook type takes the
 * next value, before PCTL_HOOK_END, which bounds what the decoder accepts.
 */
enum pctl_hook {
	PCTL_HOOK_KPROBE = 1,
	PCTL_HOOK_KRETPROBE = 2,
	PCTL_HOOK_FENTRY = 3,
	PCTL_HOOK_FEXIT = 4,
	PCTL_HOOK_TRACEPOINT = 5,
	PCTL_HOOK_TP_BTF = 6,
	PCTL_HOOK_RAW_TP = 7,
	PCTL_HOOK_UPROBE = 8,
	PCTL_HOOK_URETPROBE = 9,
	PCTL_HOOK_KSYSCALL = 10,
	PCTL_HOOK_LSM = 11,
	PCTL_HOOK_KPROBE_MULTI = 12,
	PCTL_HOOK_UPROBE_MULTI = 13,
	PCTL_HOOK_END /* one past the highest hook id */
};

/*
 * How the program finds exec information in its arguments at the attach point it was given.
 * Set in read-only data before load, so the verifier prunes every other layout's code.
 */
enum pctl_arg_layout {
	PCTL_LAYOUT_NONE = 0,  /* unknown function: task fields only */
	PCTL_LAYOUT_BPRM0 = 1, /* arg0: struct linux_binprm * (bprm_execve, begin_new_exec) */
	PCTL_LAYOUT_KFILENAME0_UARGV1 = 2, /* do_execve(struct filename *, user argv, ...) */
	PCTL_LAYOUT_UPATH0_UARGV1 = 3,	   /* execve(user path, user argv, ...) */
	PCTL_LAYOUT_UPATH1_UARGV2 = 4,	   /* execveat(fd, user path, user argv, ...) */
	PCTL_LAYOUT_SCHED_EXEC = 5,	   /* sched_process_exec(task, old_pid, bprm) */
	PCTL_LAYOUT_SYS_EXIT = 6,	   /* syscalls:sys_exit_* record: return value only */
};

/* Bits of pctl_event.missing: a field this hook could not fill at this attach point. */
#define PCTL_MISSING_FILENAME (1u << 0)
#define PCTL_MISSING_ARGV     (1u << 1)
#define PCTL_MISSING_RETVAL   (1u << 2)
#define PCTL_MISSING_OLD_PID  (1u << 3)

/* Bits of pctl_event.truncated: a field that was cut to fit. */
#define PCTL_TRUNC_FILENAME (1u << 0)
#define PCTL_TRUNC_ARGC	    (1u << 1) /* more than PCTL_MAX_ARGS arguments */
#define PCTL_TRUNC_ARG	    (1u << 2) /* an argument longer than PCTL_ARG_LEN - 1 bytes */

/* Slots of each object's per-CPU "counters" map. */
enum pctl_counter {
	PCTL_COUNTER_EMITTED = 0,
	PCTL_COUNTER_DROPPED = 1, /* ring buffer full */
	PCTL_COUNTER_MAX = 2,
};

struct pctl_event {
	pctl_u64 ktime_ns; /* bpf_ktime_get_ns() */
	pctl_s64 retval;
	pctl_u32 hook; /* enum pctl_hook */
	pctl_u32 cpu;
	pctl_u32 pid;	  /* thread id */
	pctl_u32 tgid;	  /* process id */
	pctl_u32 ppid;	  /* parent's tgid */
	pctl_u32 old_pid; /* sched_process_exec: the thread id before exec de-threaded */
	pctl_u32 uid;
	pctl_u32 gid;
	pctl_u32 missing;   /* PCTL_MISSING_* */
	pctl_u32 truncated; /* PCTL_TRUNC_* */
	pctl_u32 argc;	    /* number of argv entries captured */
	pctl_u32 site; /* kprobe.multi, uprobe.multi: which function fired, from 1 (its cookie);
			  else 0 */
	char comm[PCTL_COMM_LEN];
	char filename[PCTL_FILENAME_LEN];
	char argv[PCTL_MAX_ARGS][PCTL_ARG_LEN];
};

/*
 * Generic capture: any attach point, its arguments typed from the kernel's own description (BTF
 * FUNC_PROTO, a tracepoint's format file, a btf_trace_* typedef) by probectl, which writes one
 * pctl_value_spec per argument into the object's read-only data before load.
 */
#define PCTL_VALUES	   12  /* arguments one event carries */
#define PCTL_VALUE_STR_LEN 128 /* bytes of one string argument, NUL included */

/* How a value is read. Integers are read raw; probectl truncates and sign-extends them. */
enum pctl_value_kind {
	PCTL_VALUE_NONE = 0,  /* not read */
	PCTL_VALUE_INT = 1,   /* an integer or address: the register, argument or record bytes */
	PCTL_VALUE_USTR = 2,  /* a pointer to a NUL-terminated string in user memory */
	PCTL_VALUE_KSTR = 3,  /* a pointer to a NUL-terminated string in kernel memory */
	PCTL_VALUE_CHARS = 4, /* tracepoint: a char array of `size` bytes inside the record */
	PCTL_VALUE_DATA_LOC =
		5, /* tracepoint: __data_loc: u32 (length << 16 | offset from record) */
	PCTL_VALUE_REL_LOC = 6, /* tracepoint: __rel_loc: offset from the end of the field */
	PCTL_VALUE_STR = 7,	/* a string pointer into memory the description does not name:
				   user memory below PCTL_USER_ADDRESS_END, kernel memory above */
};

/* x86-64: user addresses lie below the canonical hole, the kernel's above it. */
#define PCTL_USER_ADDRESS_END 0x0000800000000000ULL

struct pctl_value_spec {
	pctl_u32 kind;	/* enum pctl_value_kind */
	pctl_u32 size;	/* bytes: of the integer read (1, 2, 4, 8), of a char array */
	pctl_u32 where; /* the argument's index, or its byte offset in a tracepoint's record */
	pctl_u32 unused;
};

/* kprobe.multi's generic object: each function's own argument list, in a map keyed by its site. */
struct pctl_site_values {
	pctl_u32 count; /* arguments described in specs */
	pctl_u32 unused;
	struct pctl_value_spec specs[PCTL_VALUES];
};

/* The record of a generic object: the task, then each argument's raw value and string. */
struct pctl_args_event {
	pctl_u64 ktime_ns;
	pctl_s64 retval;
	pctl_u32 hook; /* enum pctl_hook */
	pctl_u32 cpu;
	pctl_u32 pid;
	pctl_u32 tgid;
	pctl_u32 ppid;
	pctl_u32 uid;
	pctl_u32 gid;
	pctl_u32 has_retval; /* 1: retval was read */
	pctl_u32 read;	     /* bit i: values[i] (and strings[i] for a string kind) was read */
	pctl_u32 faulted;    /* bit i: reading the string at values[i] faulted */
	pctl_u32 truncated;  /* bit i: strings[i] filled its buffer: it may have been cut */
	pctl_u32 site;
	char comm[PCTL_COMM_LEN];
	pctl_u64 values[PCTL_VALUES];
	char strings[PCTL_VALUES][PCTL_VALUE_STR_LEN];
};

#endif /* PROBECTL_EVENT_H */
