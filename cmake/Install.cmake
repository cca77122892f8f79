# cmake --install, and the .deb that CPack makes of it (cd build && cpack; scripts/package-test.sh
# installs it on a fresh Debian 12):
#   sbin/probectl                                      (bpftool's place: it needs root, or CAP_BPF)
#   libexec/probectl/probectl-exec-helper              bench's exec tier runs it
#   libexec/probectl/probectl-floor                    bench's start-up tier: the libbpf floor
#   share/man/man8/probectl.8.gz                       from --help (help2man)
#   share/bash-completion/completions/probectl         probectl completion bash
#   share/probectl/exercises, share/probectl/include   the labs' coding exercises and their vmlinux.h
# The man page and the completion run the binary just built; not in a sanitizer build, whose
# binary's leak report at exit is none of the install's business.
if(NOT PROBECTL_SANITIZE)
  find_program(PROBECTL_HELP2MAN help2man DOC "help2man, for probectl's man page (Debian package: help2man)")
  if(NOT PROBECTL_HELP2MAN)
    message(FATAL_ERROR "help2man not found: install the Debian package 'help2man' (bash scripts/setup-deps.sh)")
  endif()
  add_custom_command(
    OUTPUT "${CMAKE_BINARY_DIR}/probectl.8.gz" "${CMAKE_BINARY_DIR}/probectl.bash"
    COMMAND "${CMAKE_COMMAND}" "-DPROBECTL=$<TARGET_FILE:probectl>" "-DHELP2MAN=${PROBECTL_HELP2MAN}"
            "-DOUT_DIR=${CMAKE_BINARY_DIR}" -P "${CMAKE_SOURCE_DIR}/cmake/CliFiles.cmake"
    DEPENDS probectl "${CMAKE_SOURCE_DIR}/cmake/CliFiles.cmake"
    COMMENT "Writing probectl's man page and bash completion from its command line"
    VERBATIM)
  add_custom_target(probectl_cli_files ALL DEPENDS "${CMAKE_BINARY_DIR}/probectl.8.gz" "${CMAKE_BINARY_DIR}/probectl.bash")
  install(FILES "${CMAKE_BINARY_DIR}/probectl.8.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man8")
  install(FILES "${CMAKE_BINARY_DIR}/probectl.bash" DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
          RENAME probectl)
endif()

install(TARGETS probectl RUNTIME DESTINATION "${CMAKE_INSTALL_SBINDIR}")
install(TARGETS probectl-exec-helper probectl-floor RUNTIME DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/probectl")
install(DIRECTORY "${CMAKE_SOURCE_DIR}/labs/exercises/" DESTINATION "${CMAKE_INSTALL_DATADIR}/probectl/exercises"
        PATTERN ".clang-format" EXCLUDE)
install(FILES "${PROBECTL_BPF_GEN_DIR}/vmlinux.h" DESTINATION "${CMAKE_INSTALL_DATADIR}/probectl/include")

# The .deb. Its dependencies are the shared libraries the binary links (dpkg-shlibdeps): all of them
# in Debian 12's main suite, libbpf being linked in. The labs' coding exercises compile with clang
# against libbpf's headers, and lab 12 runs bpftool: recommended, not needed.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME probectl)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "probectl developers <probectl@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "the same kernel event through every eBPF hook type, side by side")
string(CONCAT CPACK_PACKAGE_DESCRIPTION  # folded as a Debian description is
  "probectl attaches each eBPF hook type (kprobe, fentry, tracepoint, tp_btf,\n"
  "raw_tp, uprobe, ksyscall, lsm, the multi-attach kinds and their return\n"
  "probes) to the same kernel event at once, and diffs what each saw: which\n"
  "occurrences, with which fields, in what order, at what cost. It says which\n"
  "hook types work on this kernel and why the others do not, and its labs\n"
  "teach them.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "clang, libbpf-dev, bpftool")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
# Stripped: the bench's uprobes find their target in its dynamic symbols (CMakeLists.txt).
set(CPACK_STRIP_FILES ON)
include(CPack)
