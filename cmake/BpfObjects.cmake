# Build rules for the BPF side: vmlinux.h from the kernel's BTF, and for each probes/<hook>.bpf.c an
# object (clang -target bpf) and a bpftool skeleton header (<hook>.skel.h) that embeds the object.

find_program(PROBECTL_CLANG NAMES clang clang-14 REQUIRED
  DOC "clang, to compile BPF C (Debian package: clang)")
find_program(PROBECTL_LLVM_STRIP NAMES llvm-strip llvm-strip-14 REQUIRED
  DOC "llvm-strip, to drop the DWARF of the objects probectl embeds (Debian package: llvm)")
find_program(PROBECTL_BPFTOOL NAMES bpftool HINTS /usr/sbin /usr/local/sbin
  DOC "bpftool, for vmlinux.h and skeletons (Debian package: bpftool)")
if(NOT PROBECTL_BPFTOOL)
  message(FATAL_ERROR "bpftool not found: install the Debian package 'bpftool' (bash scripts/setup-deps.sh)")
endif()
execute_process(COMMAND "${PROBECTL_BPFTOOL}" version OUTPUT_VARIABLE PROBECTL_BPFTOOL_VERSION
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REGEX MATCH "^[^\n]*" PROBECTL_BPFTOOL_VERSION "${PROBECTL_BPFTOOL_VERSION}")  # "bpftool v7.5.0"

set(PROBECTL_VMLINUX_BTF "/sys/kernel/btf/vmlinux" CACHE FILEPATH
  "Kernel BTF that vmlinux.h is generated from (a vmlinux ELF or raw BTF file)")
if(NOT EXISTS "${PROBECTL_VMLINUX_BTF}")
  message(FATAL_ERROR "no kernel BTF at ${PROBECTL_VMLINUX_BTF}: pass -DPROBECTL_VMLINUX_BTF=<file> "
    "(a vmlinux or BTF file of a kernel built with CONFIG_DEBUG_INFO_BTF)")
endif()

set(PROBECTL_BPF_GEN_DIR "${CMAKE_BINARY_DIR}/bpf")
file(MAKE_DIRECTORY "${PROBECTL_BPF_GEN_DIR}")

add_custom_command(
  OUTPUT "${PROBECTL_BPF_GEN_DIR}/vmlinux.h"
  COMMAND sh -c "\"${PROBECTL_BPFTOOL}\" btf dump file \"${PROBECTL_VMLINUX_BTF}\" format c > vmlinux.h.tmp && mv vmlinux.h.tmp vmlinux.h"
  WORKING_DIRECTORY "${PROBECTL_BPF_GEN_DIR}"
  COMMENT "Generating vmlinux.h from ${PROBECTL_VMLINUX_BTF}"
  VERBATIM)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(PROBECTL_BPF_ARCH x86)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(PROBECTL_BPF_ARCH arm64)
else()
  message(FATAL_ERROR "probectl's BPF objects know x86_64 and arm64, not ${CMAKE_SYSTEM_PROCESSOR}")
endif()

# probectl_bpf_skeleton(<name>): probes/<name>.bpf.c -> <name>.bpf.o -> <name>.skel.h (struct <name>_bpf).
# Appends the skeleton to PROBECTL_SKELETONS in the caller's scope.
function(probectl_bpf_skeleton name)
  set(src "${CMAKE_SOURCE_DIR}/probes/${name}.bpf.c")
  set(obj "${PROBECTL_BPF_GEN_DIR}/${name}.bpf.o")
  set(skel "${PROBECTL_BPF_GEN_DIR}/${name}.skel.h")
  # An object whose name ends in _nodebug is built without -g: no .BTF, no .BTF.ext (lab 17).
  set(debug -g)
  if(name MATCHES "_nodebug$")
    set(debug "")
  endif()
  # A hook's object goes into probectl without -g's DWARF (.debug_*: nine tenths of it, which libbpf
  # does not read; .BTF and .BTF.ext stay): a smaller binary, and less of it paged in when a skeleton
  # is opened (docs/benchmarks.md, peak memory). The labs' objects keep theirs: lab 15 shows it.
  set(strip "")
  if(NOT name MATCHES "^lab_" AND NOT name MATCHES "_nodebug$")
    set(strip COMMAND "${PROBECTL_LLVM_STRIP}" --strip-debug "${obj}")
  endif()
  add_custom_command(
    OUTPUT "${obj}"
    COMMAND "${PROBECTL_CLANG}" ${debug} -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_${PROBECTL_BPF_ARCH}
            -I "${PROBECTL_BPF_GEN_DIR}" -I "${CMAKE_SOURCE_DIR}/probes" -I "${LIBBPF_INCLUDEDIR}"
            -MD -MF "${obj}.d" -c "${src}" -o "${obj}"
    ${strip}
    # Every header the object includes (args.bpf.h among them), as clang lists them in its depfile.
    DEPFILE "${obj}.d"
    DEPENDS "${src}" "${PROBECTL_BPF_GEN_DIR}/vmlinux.h"
    COMMENT "BPF ${name}.bpf.c"
    VERBATIM)
  add_custom_command(
    OUTPUT "${skel}"
    COMMAND sh -c "\"${PROBECTL_BPFTOOL}\" gen skeleton \"${obj}\" name ${name}_bpf > \"${skel}.tmp\" && mv \"${skel}.tmp\" \"${skel}\""
    DEPENDS "${obj}"
    COMMENT "Skeleton ${name}.skel.h"
    VERBATIM)
  set(PROBECTL_SKELETONS ${PROBECTL_SKELETONS} "${skel}" PARENT_SCOPE)
endfunction()
