// One factory per lab, each in its own file (labs/lab_NN_*.cpp).
#pragma once

#include "labs/lab.h"

namespace probectl::lab {

Lab lab_01_support();
Lab lab_02_context();
Lab lab_03_sections();
Lab lab_04_btf();
Lab lab_05_core();
Lab lab_06_skeleton();
Lab lab_07_exec_path();
Lab lab_08_return_probes();
Lab lab_09_tracepoints();
Lab lab_10_memory();
Lab lab_11_uprobes();
Lab lab_12_no_btf();
Lab lab_13_ring_buffer();
Lab lab_14_one_syscall();
Lab lab_15_object_anatomy();
Lab lab_16_loader_order();
Lab lab_17_core_offset();
Lab lab_18_kfuncs();
Lab lab_19_bpftool_view();

}  // namespace probectl::lab
