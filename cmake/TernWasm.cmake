# Compiling C programs to wasm32-wasi at build time (Debian: clang-14, lld, wasi-libc,
# libclang-rt-14-dev-wasm32). Sets TERN_WASM_CC to the compiler, or leaves it empty when the
# toolchain is missing so callers can skip with a message.
find_program(TERN_WASM_CC NAMES clang-14 clang)
if(TERN_WASM_CC)
  set(_probe ${CMAKE_BINARY_DIR}/wasm-probe)
  file(WRITE ${_probe}.c "int main(void){return 0;}\n")
  execute_process(COMMAND ${TERN_WASM_CC} --target=wasm32-wasi -O2 ${_probe}.c -o ${_probe}.wasm
                  RESULT_VARIABLE _probe_rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT _probe_rc EQUAL 0)
    message(WARNING "${TERN_WASM_CC} cannot build wasm32-wasi programs (install wasi-libc, lld and "
                    "libclang-rt-14-dev-wasm32: scripts/install-deps.sh); C→wasm programs are skipped")
    set(TERN_WASM_CC "" CACHE FILEPATH "" FORCE)
  endif()
endif()

# tern_wasm_program(NAME SOURCE [EXTRA_FLAGS...]) → ${CMAKE_CURRENT_BINARY_DIR}/NAME.wasm and a
# target NAME_wasm that builds it (again when SOURCE or a header it includes changes).
function(tern_wasm_program name source)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${TERN_WASM_CC} --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug ${ARGN}
            -MD -MF ${out}.d ${source} -o ${out}
    DEPENDS ${source}
    DEPFILE ${out}.d
    COMMENT "Compiling ${name}.wasm"
    VERBATIM)
  add_custom_target(${name}_wasm ALL DEPENDS ${out})
endfunction()
