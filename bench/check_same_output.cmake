# Runs two commands and checks that both succeed and print the same stdout: a bench program
# through `tern` against the same C compiled natively (bench/CMakeLists.txt).
#   cmake -DEXPECTED="prog|arg..." -DACTUAL="tern|run|...|prog.wasm|arg..." -P check_same_output.cmake
# Arguments are separated by `|` so that they pass through add_test unchanged.
foreach(side EXPECTED ACTUAL)
  string(REPLACE "|" ";" command "${${side}}")
  execute_process(COMMAND ${command} RESULT_VARIABLE status OUTPUT_VARIABLE out_${side}
                  ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${command}\nexit status ${status}\n--- stderr ---\n${err}")
  endif()
endforeach()
if(NOT out_ACTUAL STREQUAL out_EXPECTED)
  message(FATAL_ERROR "${ACTUAL}\nprinted:\n${out_ACTUAL}\nthe native build printed:\n${out_EXPECTED}")
endif()
message(STATUS "both printed ${out_ACTUAL}")
