# Sourced by the scripts of scripts/vm: where downloaded kernels, headers and initramfs images are
# kept. Outside the checkout, so that a fresh clone on the same machine (CI's next run) reuses them:
# PROBECTL_VM_CACHE, else $XDG_CACHE_HOME/probectl/vm, else ~/.cache/probectl/vm.
# shellcheck shell=bash
default_vm_cache=${PROBECTL_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/probectl/vm}
