# Writes what is installed beside probectl and written from its own command line, so that neither
# can fall behind it: the man page (help2man, from --help, --version and each command's --help)
# and the bash completion (probectl completion bash). Run with -DPROBECTL=<binary>
# -DHELP2MAN=<help2man> -DOUT_DIR=<folder>; writes probectl.8.gz and probectl.bash there.
function(run_probectl out)
  execute_process(COMMAND "${PROBECTL}" ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "probectl ${ARGN} failed (${failed})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The commands, as `probectl --help` lists them (its "Subcommands:" section).
run_probectl(help --help)
string(REGEX REPLACE ".*\nSubcommands:\n" "" listed "${help}")
string(REGEX REPLACE "\n\n.*" "" listed "${listed}")
string(REGEX MATCHALL "(^|\n)  [a-z]+" commands "${listed}")
list(TRANSFORM commands REPLACE "^\n?  " "")
list(LENGTH commands count)
if(count LESS 5)
  message(FATAL_ERROR "probectl --help lists ${count} commands: its Subcommands section was not found")
endif()

# help2man's include file: each command's --help as it prints it, in roff (a backslash escaped, a
# line that starts with a dot or quote kept as text; in the include file itself a line that starts
# with a slash would be read as a pattern).
string(CONCAT include "[DESCRIPTION]\nprobectl attaches each eBPF hook type (kprobe, fentry, tracepoint, tp_btf, raw_tp, uprobe, "
  "ksyscall, lsm, the multi-attach kinds and their return probes) to the same kernel event at once, "
  "and diffs what each saw: which occurrences, with which fields, in what order, at what cost. It "
  "says which hook types work on this kernel and why the others do not, and its labs teach them.\n"
  "[COMMANDS]\n")
foreach(command IN LISTS commands)
  run_probectl(text ${command} --help)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  string(APPEND include ".SS \"probectl ${command}\"\n.nf\n${text}.fi\n")
endforeach()
string(APPEND include "[FILES]\n"
  "PREFIX is /usr for the Debian package, /usr/local for cmake --install.\n"
  ".TP\nPREFIX/share/bash-completion/completions/probectl\nbash completion (probectl completion bash)\n"
  ".TP\nPREFIX/libexec/probectl/probectl-exec-helper\nthe static program that bench's exec tier runs\n"
  ".TP\nPREFIX/libexec/probectl/probectl-floor\nthe minimal libbpf loader bench's start-up tier measures attach against\n"
  ".TP\nPREFIX/share/probectl/\nthe labs' coding exercises, and the vmlinux.h they compile against\n"
  "[SEE ALSO]\n.BR bpftool (8),\n.BR bpftrace (8),\n.BR bpf (2)\n")
file(WRITE "${OUT_DIR}/probectl.h2m" "${include}")

execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=8 --source=probectl
          "--name=the same kernel event through every eBPF hook type, side by side"
          "--include=${OUT_DIR}/probectl.h2m" "--output=${OUT_DIR}/probectl.8" "${PROBECTL}"
  RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "help2man could not write probectl's man page")
endif()
# Compressed as Debian installs man pages; -n: no file name or time stamp in gzip's header.
execute_process(COMMAND gzip -9nf "${OUT_DIR}/probectl.8" RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "gzip could not compress probectl.8")
endif()

run_probectl(completion completion bash)
file(WRITE "${OUT_DIR}/probectl.bash" "${completion}")
